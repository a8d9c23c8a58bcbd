using System.Text.Json;
using System.Text.Json.Nodes;

using Microsoft.Extensions.Options;

using Routescope.Gateway.Hosting;
using Routescope.Gateway.Tests.Storage;
using Routescope.Gateway.Usage;

namespace Routescope.Gateway.Tests.Usage;

/// <summary>The spill file keeps records across store outages and replays them with the ids they were written with.</summary>
public sealed class UsageSpillTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rsg-spill-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Records_replay_with_their_own_record_id()
    {
        var spill = NewSpill();
        var record = StoreContractTests.Record("req-1", "k1", "gemini-2.5-flash-image", DateTimeOffset.UtcNow, 0.25m);
        spill.Append([record]);

        var replayed = await ReplayAllAsync(spill);

        Assert.Equal([record], replayed);
    }

    [Fact]
    public async Task Lines_spilled_before_record_ids_replay_keyed_by_their_request_id()
    {
        // A line from a build that had no record id: keyed by request id then, so it must stay keyed by it, or a replay
        // that already reached the store would land a second time.
        var record = StoreContractTests.Record("req-old", "k1", "gemini-2.5-flash-image", DateTimeOffset.UtcNow, 0.25m);
        var legacy = JsonNode.Parse(JsonSerializer.Serialize(record, UsageJsonContext.Default.UsageRecord))!.AsObject();
        legacy.Remove("recordId");
        var spill = NewSpill();
        await File.WriteAllTextAsync(Path.Combine(_directory, "usage-spill.jsonl"), legacy.ToJsonString() + "\n");

        var replayed = Assert.Single(await ReplayAllAsync(spill));

        Assert.Equal("req-old", replayed.RecordId);
        Assert.Equal(record with { RecordId = "req-old" }, replayed);
    }

    [Fact]
    public async Task An_append_after_a_torn_line_starts_a_line_of_its_own_and_replay_counts_the_fragment()
    {
        // A crash mid-append left half a line without its newline; the next acknowledged record must not be glued to it.
        var first = StoreContractTests.Record("req-1", "k1", "gemini-2.5-flash-image", DateTimeOffset.UtcNow, 0.25m);
        var whole = JsonSerializer.Serialize(first, UsageJsonContext.Default.UsageRecord);
        await File.WriteAllTextAsync(Path.Combine(_directory, "usage-spill.jsonl"), whole + "\n" + whole[..(whole.Length / 2)]);
        var spill = NewSpill();
        var next = StoreContractTests.Record("req-2", "k1", "gemini-2.5-flash-image", DateTimeOffset.UtcNow, 0.5m);

        spill.Append([next]);
        var replayed = new List<UsageRecord>();
        var replay = await spill.ReplayAsync(batch =>
        {
            replayed.AddRange(batch);
            return Task.CompletedTask;
        }, 100, CancellationToken.None);

        Assert.Equal([first, next], replayed);
        Assert.Equal(new SpillReplay(2, 1), replay);
    }

    private UsageSpill NewSpill() =>
        new(Options.Create(new DataDirectoryOptions { Path = _directory }), Options.Create(new UsageOptions()));

    private static async Task<List<UsageRecord>> ReplayAllAsync(UsageSpill spill)
    {
        var replayed = new List<UsageRecord>();
        await spill.ReplayAsync(batch =>
        {
            replayed.AddRange(batch);
            return Task.CompletedTask;
        }, 100, CancellationToken.None);
        return replayed;
    }
}

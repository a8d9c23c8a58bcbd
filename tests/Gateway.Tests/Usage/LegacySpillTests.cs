using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

using Routescope.Gateway.Tests.Storage;
using Routescope.Gateway.Usage;

namespace Routescope.Gateway.Tests.Usage;

/// <summary>A spill file an older version left is moved into the journal at start, and from there into the store, once.</summary>
public sealed class LegacySpillTests : IAsyncLifetime
{
    private readonly UsageFixture _gateway = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _gateway.DisposeAsync();

    [Fact]
    public async Task An_old_spill_file_reaches_the_store_with_its_ids_and_is_removed()
    {
        var record = StoreContractTests.Record("req-spilled", "k1", "gemini-2.5-flash-image", DateTimeOffset.UtcNow, 0.25m);
        // A line from a build that had no record id: keyed by request id then, so it must stay keyed by it, or a replay
        // that already reached the store would land a second time.
        var legacy = JsonNode.Parse(JsonSerializer.Serialize(record with { RequestId = "req-old" }, UsageJsonContext.Default.UsageRecord))!.AsObject();
        legacy.Remove("recordId");
        var whole = JsonSerializer.Serialize(record, UsageJsonContext.Default.UsageRecord);
        Directory.CreateDirectory(_gateway.DataDirectory);
        var spill = Path.Combine(_gateway.DataDirectory, "usage-spill.jsonl");
        await File.WriteAllTextAsync(spill + ".replaying", legacy.ToJsonString() + "\n", new UTF8Encoding(false));
        await File.WriteAllTextAsync(spill, whole + "\n" + whole[..(whole.Length / 2)], new UTF8Encoding(false));

        await _gateway.InitializeAsync();
        var records = await _gateway.RecordsAsync(["req-spilled", "req-old"]);

        var kept = Assert.Single(records, r => r.RequestId == "req-spilled");
        Assert.Equal(record with { RecordedAt = kept.RecordedAt, BilledAt = record.EndedAt }, kept);
        Assert.Equal("req-old", Assert.Single(records, r => r.RequestId == "req-old").RecordId);
        Assert.False(File.Exists(spill));
        Assert.False(File.Exists(spill + ".replaying"));
        Assert.Contains(_gateway.Logs.Lines, line => line.Contains("\"Id\":6012", StringComparison.Ordinal) && line.Contains("1 torn", StringComparison.Ordinal));
    }
}

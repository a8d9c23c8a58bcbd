using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

using Routescope.Gateway.Tests.Infrastructure;
using Routescope.Gateway.Tests.Storage;
using Routescope.Gateway.Usage;
using Routescope.Gateway.Usage.Journal;

namespace Routescope.Gateway.Tests.Usage.Journal;

/// <summary>The journal on a real disk: group commit, reading back in order, release, torn tails, a refusing disk.</summary>
public sealed class UsageJournalTests : IDisposable
{
    private readonly string _directory = Path.Combine(Directory.CreateTempSubdirectory("rsg-journal-").FullName, "journal");
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose()
    {
        _services.Dispose();
        Directory.Delete(Path.GetDirectoryName(_directory)!, recursive: true);
    }

    [Fact]
    public async Task Concurrent_appends_share_fsyncs_and_read_back_whole_in_order()
    {
        var groups = new List<int>();
        using var listener = Listen("gateway.usage.journal.group_size", groups);
        await using var journal = NewJournal();
        journal.Open();

        var records = Enumerable.Range(0, 400).Select(i => Record(i)).ToArray();
        await Parallel.ForEachAsync(records, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (record, _) => await journal.AppendAsync([record]));
        var read = journal.Read(journal.Start, 1000);

        Assert.Equal(records.Select(r => r.RecordId).Order(), read.Records.Select(r => r.RecordId).Order());
        Assert.Equal(records.OrderBy(r => r.RecordId).First(), read.Records.OrderBy(r => r.RecordId).First());
        Assert.Equal(journal.Durable, read.End);
        Assert.Equal(400, journal.Pending);
        lock (groups)
        {
            Assert.Equal(400, groups.Sum());
            Assert.True(groups.Count < 400, $"{groups.Count} fsyncs for 400 appends: no group commit");
        }
    }

    [Fact]
    public async Task Released_segments_go_and_a_caught_up_journal_keeps_no_records()
    {
        var journal = NewJournal(segmentBytes: 4096);
        journal.Open();
        for (var i = 0; i < 30; i++)
        {
            await journal.AppendAsync([Record(i)]);
        }

        Assert.True(Segments().Length > 2, "small segments roll");
        var first = journal.Read(journal.Start, 10);
        journal.Release(first.End, first.Records.Count);
        Assert.Equal(20, journal.Pending);
        var rest = journal.Read(first.End, 100);
        Assert.Equal(20, rest.Records.Count);
        Assert.Equal(Enumerable.Range(0, 30).Select(i => "rec-" + i), first.Records.Concat(rest.Records).Select(r => r.RecordId));

        journal.Release(rest.End, rest.Records.Count);

        Assert.Equal(0, journal.Pending);
        Assert.True(Segments().Length <= 1, "only the active segment stays");
        await journal.AppendAsync([Record(99)]);
        var last = journal.Read(rest.End, 10);
        Assert.Equal(["rec-99"], last.Records.Select(r => r.RecordId));
        journal.Release(last.End, 1);

        // A clean stop with everything stored leaves nothing to read again.
        await journal.DisposeAsync();
        Assert.Empty(Segments());
    }

    [Fact]
    public async Task What_a_run_left_unreleased_is_found_and_read_again_at_the_next_open()
    {
        await using (var first = NewJournal())
        {
            first.Open();
            await first.AppendAsync([Record(1), Record(2)]);
            await first.AppendAsync([Record(3)]);
            var read = first.Read(first.Start, 1);
            first.Release(read.End, 1);
        }

        await using var next = NewJournal();
        var opening = next.Open();
        await next.AppendAsync([Record(4)]);

        Assert.Equal(new JournalOpening(2, 1), opening);
        Assert.Equal(["rec-2", "rec-3", "rec-4"], next.Read(next.Start, 10).Records.Select(r => r.RecordId));
    }

    [Fact]
    public async Task A_torn_tail_is_skipped_and_counted_and_the_next_run_appends_after_it()
    {
        // A crash between write and fsync left half a line: that group was never acknowledged.
        Directory.CreateDirectory(_directory);
        var whole = JsonSerializer.Serialize(Record(1), UsageJsonContext.Default.UsageRecord);
        var torn = JsonSerializer.Serialize(Record(2), UsageJsonContext.Default.UsageRecord);
        await File.WriteAllTextAsync(Path.Combine(_directory, "000000000007.journal"), whole + "\n" + torn[..(torn.Length / 2)], new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

        await using var journal = NewJournal();
        var opening = journal.Open();
        await journal.AppendAsync([Record(3)]);
        var read = journal.Read(journal.Start, 10);

        Assert.Equal(1, opening.Records);
        Assert.Equal(["rec-1", "rec-3"], read.Records.Select(r => r.RecordId));
        Assert.Equal(1, read.TornLines);
        Assert.Equal(new JournalPosition(8, new FileInfo(Path.Combine(_directory, "000000000008.journal")).Length), read.End);
    }

    [Fact]
    public async Task A_refusing_disk_fails_the_append_and_a_probe_finds_room_again()
    {
        await using var journal = NewJournal(probe: TimeSpan.FromMilliseconds(50));
        journal.Open();
        Directory.Delete(_directory, recursive: true);
        await File.WriteAllTextAsync(_directory, "a file where the directory was");

        await Assert.ThrowsAsync<JournalUnavailableException>(() => journal.AppendAsync([Record(1)]));
        Assert.False(journal.Available);
        Assert.False(string.IsNullOrEmpty(journal.Refusal));

        File.Delete(_directory);
        await Eventually.TrueAsync(() => journal.Available);
        await journal.AppendAsync([Record(2)]);

        Assert.Equal(["rec-2"], journal.Read(journal.Start, 10).Records.Select(r => r.RecordId));
        Assert.Equal(1, journal.Pending);
    }

    [Fact]
    public async Task A_journal_that_could_not_take_stock_at_start_appends_nothing_until_it_has_and_keeps_the_old_records()
    {
        await using (var first = NewJournal())
        {
            first.Open();
            await first.AppendAsync([Record(1), Record(2)]);
        }

        // The next start finds its directory unusable (as a volume mounted wrong would be), and it is fixed later.
        var aside = _directory + ".aside";
        Directory.Move(_directory, aside);
        await File.WriteAllTextAsync(_directory, "not a directory");
        await using var next = NewJournal(probe: TimeSpan.FromMilliseconds(50));
        next.Open();
        await Assert.ThrowsAsync<JournalUnavailableException>(() => next.AppendAsync([Record(3)]));

        File.Delete(_directory);
        Directory.Move(aside, _directory);
        await Eventually.TrueAsync(() => next.Available);
        await next.AppendAsync([Record(4)]);

        Assert.Equal(["rec-1", "rec-2", "rec-4"], next.Read(next.Start, 10).Records.Select(r => r.RecordId));
        Assert.Equal(3, next.Pending);
    }

    [Fact]
    public async Task A_second_journal_on_the_same_directory_is_refused()
    {
        await using var first = NewJournal();
        first.Open();
        await using var second = NewJournal();

        var refused = Assert.Throws<InvalidOperationException>(() => second.Open());

        Assert.Contains("another gateway process", refused.Message, StringComparison.Ordinal);
        await first.AppendAsync([Record(1)]);
        Assert.Single(first.Read(first.Start, 10).Records);
    }

    private static UsageRecord Record(int i) => StoreContractTests.Record("req-" + i, "k1", "gemini-2.5-flash-image", DateTimeOffset.UnixEpoch.AddSeconds(i), 0.25m) with
    {
        RecordId = "rec-" + i,
    };

    private string[] Segments() => Directory.Exists(_directory) ? Directory.GetFiles(_directory, "*.journal") : [];

    private UsageJournal NewJournal(long segmentBytes = 1 << 20, TimeSpan? probe = null) =>
        new(_directory, new UsageOptions { JournalSegmentBytes = segmentBytes, JournalProbeInterval = probe ?? TimeSpan.FromSeconds(1) },
            new UsageMetrics(_services.GetRequiredService<IMeterFactory>()), TimeProvider.System, NullLogger.Instance);

    /// <summary>Listens to this test's own meters only: other tests' journals publish the same instrument meanwhile.</summary>
    private MeterListener Listen(string instrument, List<int> values)
    {
        var factory = _services.GetRequiredService<IMeterFactory>();
        var listener = new MeterListener
        {
            InstrumentPublished = (found, meterListener) =>
            {
                if (found.Name == instrument && ReferenceEquals(found.Meter.Scope, factory))
                {
                    meterListener.EnableMeasurementEvents(found);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((_, value, _, _) =>
        {
            lock (values)
            {
                values.Add(value);
            }
        });
        listener.Start();
        return listener;
    }
}

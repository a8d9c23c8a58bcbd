using System.Diagnostics.Metrics;

using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Usage;

/// <summary>
/// Instruments of the usage pipeline: the journal (groups, fsyncs, refusals, backlog), the store writer, losses. The
/// counters an alert watches are observable, so each is a series from the first scrape on (at 0): a counter that only
/// appears with its first loss would start at 1, and Prometheus's <c>increase()</c> sees no rise in that.
/// </summary>
internal sealed class UsageMetrics
{
    private readonly Meter _meter;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<int> _journalGroup;
    private readonly Counter<long> _tornJournalLines;
    private long _writeFailures;
    private long _journalRefusals;
    private long _refusedRequests;
    private long _lost;
    private long _quarantined;

    public UsageMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(GatewayMeter.Name);
        _batchSize = _meter.CreateHistogram<int>("gateway.usage.batch_size", description: "Records committed per store transaction.");
        _journalGroup = _meter.CreateHistogram<int>("gateway.usage.journal.group_size", description: "Records made durable per journal fsync (its count is the fsyncs).");
        _meter.CreateObservableCounter("gateway.usage.write_failures", () => Interlocked.Read(ref _writeFailures), description: "Store writes that failed (their records stay in the journal).");
        _meter.CreateObservableCounter("gateway.usage.journal.refusals", () => Interlocked.Read(ref _journalRefusals), description: "Journal writes the disk refused (full, read-only, permissions).");
        _tornJournalLines = _meter.CreateCounter<long>("gateway.usage.journal.torn_lines", description: "Torn journal lines (writes a crash interrupted) skipped.");
        _meter.CreateObservableCounter("gateway.usage.refused_requests", () => Interlocked.Read(ref _refusedRequests), description: "Billable requests refused with 503 because usage could not be made durable.");
        _meter.CreateObservableCounter("gateway.usage.quarantined", () => Interlocked.Read(ref _quarantined), description: "Records the store refused for what they hold, kept in the quarantine file.");
        _meter.CreateObservableCounter("gateway.usage.lost", () => Interlocked.Read(ref _lost), description: "Records lost: the journal's disk refused them and the memory queue was full or closing.");
    }

    /// <summary>The memory queue's depth, read from the sink whenever a reader collects.</summary>
    public void ObserveBacklog(Func<int> queueDepth) =>
        _meter.CreateObservableGauge("gateway.usage.queue_depth", queueDepth, description: "Records in memory only (the journal refused them), waiting for the store.");

    /// <summary>The journal's gauges, read from it whenever a reader collects.</summary>
    public void ObserveJournal(Func<long> pending, Func<bool> available)
    {
        _meter.CreateObservableGauge("gateway.usage.journal.pending", pending, description: "Records durable in the journal and not yet committed to the store.");
        _meter.CreateObservableGauge("gateway.usage.journal.available", () => available() ? 1 : 0, description: "1 while the journal's disk takes writes, 0 while it refuses them.");
    }

    public void Batch(int size) => _batchSize.Record(size);

    public void JournalGroup(int records) => _journalGroup.Record(records);

    public void WriteFailed() => Interlocked.Increment(ref _writeFailures);

    public void JournalRefused() => Interlocked.Increment(ref _journalRefusals);

    public void TornJournalLines(int lines) => _tornJournalLines.Add(lines);

    public void RequestRefused() => Interlocked.Increment(ref _refusedRequests);

    public void Lost(int records) => Interlocked.Add(ref _lost, records);

    public void Quarantined(int records) => Interlocked.Add(ref _quarantined, records);
}

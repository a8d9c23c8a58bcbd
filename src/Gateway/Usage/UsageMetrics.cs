using System.Diagnostics.Metrics;

using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Usage;

/// <summary>Instruments of the usage pipeline: the journal (groups, fsyncs, refusals, backlog), the store writer, losses.</summary>
internal sealed class UsageMetrics
{
    private readonly Meter _meter;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<int> _journalGroup;
    private readonly Counter<long> _writeFailures;
    private readonly Counter<long> _journalRefusals;
    private readonly Counter<long> _tornJournalLines;
    private readonly Counter<long> _refusedRequests;
    private readonly Counter<long> _lost;
    private readonly Counter<long> _quarantined;

    public UsageMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(GatewayMeter.Name);
        _batchSize = _meter.CreateHistogram<int>("gateway.usage.batch_size", description: "Records committed per store transaction.");
        _journalGroup = _meter.CreateHistogram<int>("gateway.usage.journal.group_size", description: "Records made durable per journal fsync (its count is the fsyncs).");
        _writeFailures = _meter.CreateCounter<long>("gateway.usage.write_failures", description: "Store writes that failed (their records stay in the journal).");
        _journalRefusals = _meter.CreateCounter<long>("gateway.usage.journal.refusals", description: "Journal writes the disk refused (full, read-only, permissions).");
        _tornJournalLines = _meter.CreateCounter<long>("gateway.usage.journal.torn_lines", description: "Torn journal lines (writes a crash interrupted) skipped.");
        _refusedRequests = _meter.CreateCounter<long>("gateway.usage.refused_requests", description: "Billable requests refused with 503 because usage could not be made durable.");
        _quarantined = _meter.CreateCounter<long>("gateway.usage.quarantined", description: "Records the store refused for what they hold, kept in the quarantine file.");
        _lost = _meter.CreateCounter<long>("gateway.usage.lost", description: "Records lost: the journal's disk refused them and the memory queue was full or closing.");
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

    public void WriteFailed() => _writeFailures.Add(1);

    public void JournalRefused() => _journalRefusals.Add(1);

    public void TornJournalLines(int lines) => _tornJournalLines.Add(lines);

    public void RequestRefused() => _refusedRequests.Add(1);

    public void Lost(int records) => _lost.Add(records);

    public void Quarantined(int records) => _quarantined.Add(records);
}

using System.Diagnostics.Metrics;

using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Usage;

/// <summary>Instruments of the usage pipeline: queue depth, batch sizes, spill size, write failures.</summary>
internal sealed class UsageMetrics
{
    private readonly Meter _meter;
    private readonly Histogram<int> _batchSize;
    private readonly Counter<long> _writeFailures;
    private readonly Counter<long> _spilled;
    private readonly Counter<long> _tornSpillLines;
    private readonly Counter<long> _spillFailures;
    private readonly Counter<long> _lost;

    public UsageMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(GatewayMeter.Name);
        _batchSize = _meter.CreateHistogram<int>("gateway.usage.batch_size", description: "Records committed per store transaction.");
        _writeFailures = _meter.CreateCounter<long>("gateway.usage.write_failures", description: "Store writes that failed (their records were spilled).");
        _spilled = _meter.CreateCounter<long>("gateway.usage.spilled", description: "Records written to the spill file.");
        _spillFailures = _meter.CreateCounter<long>("gateway.usage.spill_failures", description: "Appends the spill file refused (disk full, read-only, permissions).");
        _lost = _meter.CreateCounter<long>("gateway.usage.lost", description: "Records lost: the queue was full or closed and the disk refused them.");
        _tornSpillLines = _meter.CreateCounter<long>("gateway.usage.spill_torn_lines", description: "Torn spill lines (crashed appends) skipped at replay.");
    }

    /// <summary>The backlog gauges, read from the sink whenever a reader collects.</summary>
    public void ObserveBacklog(Func<int> queueDepth, Func<long> spillPending)
    {
        _meter.CreateObservableGauge("gateway.usage.queue_depth", queueDepth, description: "Records waiting for the writer.");
        _meter.CreateObservableGauge("gateway.usage.spill_pending", spillPending, description: "Records in the spill file waiting for replay.");
    }

    public void Batch(int size) => _batchSize.Record(size);

    public void WriteFailed() => _writeFailures.Add(1);

    public void Spilled(int records) => _spilled.Add(records);

    public void TornSpillLines(int lines) => _tornSpillLines.Add(lines);

    public void SpillFailed() => _spillFailures.Add(1);

    public void Lost(int records) => _lost.Add(records);
}

using System.Diagnostics.Metrics;

using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Usage;

/// <summary>Instruments of the usage pipeline: queue depth, batch sizes, spill size, write failures.</summary>
internal sealed class UsageMetrics
{
    private readonly Histogram<int> _batchSize;
    private readonly Counter<long> _writeFailures;
    private readonly Counter<long> _spilled;

    public UsageMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(GatewayMeter.Name);
        _batchSize = meter.CreateHistogram<int>("gateway.usage.batch_size", description: "Records committed per store transaction.");
        _writeFailures = meter.CreateCounter<long>("gateway.usage.write_failures", description: "Store writes that failed (their records were spilled).");
        _spilled = meter.CreateCounter<long>("gateway.usage.spilled", description: "Records written to the spill file.");
        Meter = meter;
    }

    public Meter Meter { get; }

    public void Batch(int size) => _batchSize.Record(size);

    public void WriteFailed() => _writeFailures.Add(1);

    public void Spilled(int records) => _spilled.Add(records);
}

using System.Globalization;
using System.Reflection;

using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Routescope.Gateway.Benchmarks;

/// <summary>Marks a benchmark with the body it processes, so <see cref="ThroughputColumn"/> knows the bytes per operation.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ProcessedBytesAttribute(Payload payload) : Attribute
{
    public Payload Payload { get; } = payload;

    public long Bytes => Payloads.LengthOf(Payload);
}

/// <summary>Body bytes per mean operation time, in MB/s (10^6 bytes per second).</summary>
internal sealed class ThroughputColumn : IColumn
{
    public string Id => nameof(ThroughputColumn);
    public string ColumnName => "MB/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Request body bytes processed per second at the mean time (1 MB = 10^6 bytes)";

    public static long? BytesOf(BenchmarkCase benchmarkCase) =>
        benchmarkCase.Descriptor.WorkloadMethod.GetCustomAttribute<ProcessedBytesAttribute>()?.Bytes;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return BytesOf(benchmarkCase) is { } bytes && mean is > 0
            ? (bytes / (mean.Value / 1e9) / 1e6).ToString("N0", CultureInfo.InvariantCulture)
            : "NA";
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public override string ToString() => ColumnName;
}

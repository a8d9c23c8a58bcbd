using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;

using Perfolizer.Horology;

namespace Routescope.Gateway.Benchmarks;

/// <summary>
/// A short run (1 launch, 3 warm-up and 3 measured iterations), enough for 20 MB operations on a 2-core machine; times in
/// microseconds (the cases span 1 µs to 10 ms) and the throughput column.
/// </summary>
public sealed class InspectionConfig : ManualConfig
{
    public InspectionConfig()
    {
        AddJob(Job.ShortRun);
        AddColumn(new ThroughputColumn());
        SummaryStyle = SummaryStyle.Default.WithTimeUnit(TimeUnit.Microsecond);
    }
}

using BenchmarkDotNet.Running;

using Routescope.Gateway.Benchmarks;

// dotnet run -c Release --project bench/Gateway.Benchmarks -- --quick                  Stopwatch figures in seconds
// dotnet run -c Release --project bench/Gateway.Benchmarks -- --sink                   usage sink records/s (SQLite, PostgreSQL)
// dotnet run -c Release --project bench/Gateway.Benchmarks -- --filter '*Inspection*'   BenchmarkDotNet (short run)
if (args.Contains("--quick"))
{
    return QuickRunner.Run(args);
}

if (args.Contains("--write-bodies"))
{
    return WorkloadBodies.Write(args);
}

if (args.Contains("--report"))
{
    return LoadReport.Write(args);
}

if (args.Contains("--sink"))
{
    return await SinkRunner.RunAsync(args);
}

var summaries = BenchmarkSwitcher.FromAssembly(typeof(InspectionBenchmarks).Assembly).Run(args);
return summaries.Any(summary => summary.HasCriticalValidationErrors || summary.Reports.Any(report => !report.Success)) ? 1 : 0;

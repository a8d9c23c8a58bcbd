using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace Routescope.Gateway.Benchmarks;

/// <summary>
/// <c>--quick</c>: runs the benchmarks in this process with a Stopwatch, no BenchmarkDotNet, for figures within seconds.
/// Allocation is the managed bytes allocated per operation (by this thread for the synchronous cases, by the whole process
/// for the asynchronous one, whose continuations may run on the thread pool).
/// </summary>
internal static class QuickRunner
{
    private const int DefaultIterations = 20;
    private const int MinWarmupIterations = 50;
    private static readonly TimeSpan WarmupTime = TimeSpan.FromSeconds(1.5);

    public static int Run(string[] args)
    {
        var iterations = DefaultIterations;
        var at = Array.IndexOf(args, "--iterations");
        if (at >= 0 && (at + 1 >= args.Length || !int.TryParse(args[at + 1], CultureInfo.InvariantCulture, out iterations) || iterations < 1))
        {
            Console.Error.WriteLine("usage: --quick [--iterations N]");
            return 2;
        }

        using var benchmarks = new InspectionBenchmarks();
        benchmarks.Setup();

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"quick run: {iterations} iterations after at least {MinWarmupIterations} warm-up iterations and {WarmupTime.TotalSeconds} s, .NET {Environment.Version}, {Environment.ProcessorCount} CPUs, server GC {System.Runtime.GCSettings.IsServerGC}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"20 MB edit request: {Payloads.EditRequestLength:N0} bytes; small text request: {Payloads.SmallTextRequestLength:N0} bytes"));
        Console.WriteLine();
        Console.WriteLine($"{"Benchmark",-28} {"Mean µs",11} {"Min µs",11} {"MB/s",10} {"Alloc B/op",12} {"Gen0",5} {"Gen1",5} {"Gen2",5}");
        Measure(nameof(InspectionBenchmarks.ReadShape_20MB_InMemory), iterations, perThread: true, () => benchmarks.ReadShape_20MB_InMemory());
        Measure(nameof(InspectionBenchmarks.ReadShape_20MB_Contiguous), iterations, perThread: true, () => benchmarks.ReadShape_20MB_Contiguous());
        Measure(nameof(InspectionBenchmarks.InspectAndValidate_20MB), iterations, perThread: true, () => benchmarks.InspectAndValidate_20MB());
        Measure(nameof(InspectionBenchmarks.BufferFromStream_20MB), iterations, perThread: false,
            () => benchmarks.BufferFromStream_20MB().GetAwaiter().GetResult());
        Measure(nameof(InspectionBenchmarks.BufferInspectValidate_20MB), iterations, perThread: false,
            () => benchmarks.BufferInspectValidate_20MB().GetAwaiter().GetResult());
        Measure(nameof(InspectionBenchmarks.ReadShape_SmallTextRequest), iterations * 1000, perThread: true, () => benchmarks.ReadShape_SmallTextRequest());

        return 0;
    }

    private static void Measure(string name, int iterations, bool perThread, Func<object> operation)
    {
        var bytes = typeof(InspectionBenchmarks).GetMethod(name)!.GetCustomAttribute<ProcessedBytesAttribute>()!.Bytes;
        // Warm up long enough for tiered compilation to reach tier 1 (call counting starts after 100 ms of quiet).
        object? sink = null;
        var warmup = Stopwatch.StartNew();
        for (var i = 0; i < MinWarmupIterations || warmup.Elapsed < WarmupTime; i++)
        {
            sink = operation();
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var gen0 = GC.CollectionCount(0);
        var gen1 = GC.CollectionCount(1);
        var gen2 = GC.CollectionCount(2);
        var min = long.MaxValue;
        long total = 0;
        var allocatedBefore = Allocated(perThread);
        for (var i = 0; i < iterations; i++)
        {
            var start = Stopwatch.GetTimestamp();
            sink = operation();
            var elapsed = Stopwatch.GetTimestamp() - start;
            total += elapsed;
            min = Math.Min(min, elapsed);
        }

        var allocated = (Allocated(perThread) - allocatedBefore) / (double)iterations;
        GC.KeepAlive(sink);
        var meanUs = total * 1e6 / Stopwatch.Frequency / iterations;
        var minUs = min * 1e6 / Stopwatch.Frequency;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-28} {meanUs,11:N1} {minUs,11:N1} {bytes / meanUs,10:N0} {allocated,12:N0} {GC.CollectionCount(0) - gen0,5} {GC.CollectionCount(1) - gen1,5} {GC.CollectionCount(2) - gen2,5}"));
    }

    private static long Allocated(bool perThread) => perThread ? GC.GetAllocatedBytesForCurrentThread() : GC.GetTotalAllocatedBytes(precise: true);
}

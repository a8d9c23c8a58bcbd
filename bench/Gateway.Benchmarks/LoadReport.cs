using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Routescope.Gateway.Benchmarks;

/// <summary>
/// <c>--report RUN_DIR OUT.md</c>: turns bench/run's raw wrk outputs and /proc readings into the results page and an
/// SVG chart beside it. Each figure is the median over the rounds.
/// </summary>
internal static partial class LoadReport
{
    private static readonly string[] Sides = ["direct", "bare-yarp", "gateway", "gateway-passthrough", "nginx", "portkey"];

    /// <summary>The gateway with <c>Usage:Durability=BestEffort</c>: only in the durability table, beside the gateway.</summary>
    private const string BestEffort = "gateway-besteffort";

    /// <summary>The gateway with a key whose rpm, concurrency and budget are all set (SQLite, and PostgreSQL when given): only in the spend control table.</summary>
    private static readonly string[] Limited = ["gateway-limited", "gateway-limited-pg"];

    public static int Write(string[] args)
    {
        var directory = args[Array.IndexOf(args, "--report") + 1];
        var output = args[Array.IndexOf(args, "--report") + 2];
        var cpu = Readings(Path.Combine(directory, "cpu.tsv"));
        var allocated = Readings(Path.Combine(directory, "alloc.tsv"));
        var runs = Directory.GetFiles(Path.Combine(directory, "runs"), "*.txt")
            .Select(path => (Parts: Path.GetFileNameWithoutExtension(path).Split("__"), Text: File.ReadAllText(path)))
            .Select(run =>
            {
                var id = (run.Parts[0], run.Parts[1], run.Parts[2]);
                var figures = Parse(run.Text);
                return new Run(run.Parts[0], run.Parts[1], run.Parts[2], figures is null ? null : figures with
                {
                    CpuMs = cpu.GetValueOrDefault(id, double.NaN),
                    AllocatedKB = allocated.TryGetValue(id, out var bytes) && figures.Requests > 0 ? bytes / figures.Requests / 1024 : double.NaN,
                });
            })
            .ToList();
        var rss = File.ReadAllLines(Path.Combine(directory, "rss.tsv")).Select(line => line.Split('\t'))
            .ToDictionary(f => f[0], f => double.Parse(f[1], CultureInfo.InvariantCulture));
        var workloads = File.ReadAllLines(Path.Combine(directory, "workloads.tsv")).Select(line => line.Split('\t')).ToList();
        var journal = JournalReadings(Path.Combine(directory, "journal.tsv"));

        var page = new StringBuilder();
        page.AppendLine(CultureInfo.InvariantCulture, $"# Benchmark results {DateTime.UtcNow:yyyy-MM-dd}").AppendLine();
        page.AppendLine("Produced by `bench/run`. Each figure is the median of the rounds; rounds alternate the sides so drift hits all alike.").AppendLine();
        page.AppendLine("```").Append(File.ReadAllText(Path.Combine(directory, "meta.txt"))).AppendLine("```").AppendLine();

        var chart = new List<(string Workload, string Side, double Relative, double AddedP50)>();
        foreach (var workload in workloads)
        {
            var (name, description) = (workload[0], workload[1]);
            page.AppendLine(CultureInfo.InvariantCulture, $"## {name}: {description}").AppendLine();
            page.AppendLine("| side | requests/s | 2xx/s | MB/s | p50 ms | p99 ms | added p50 over direct ms | CPU ms/request | allocated KB/request | non-2xx |");
            page.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            var direct = Median(runs, name, "direct");
            var bare = Median(runs, name, "bare-yarp");
            foreach (var side in Sides)
            {
                if (Median(runs, name, side) is not { } m)
                {
                    continue;
                }

                var added = direct is null ? double.NaN : m.P50 - direct.P50;
                page.AppendLine(CultureInfo.InvariantCulture,
                    $"| {side} | {m.Rps:N0} | {m.GoodRps:N0} | {m.MBps:N1} | {m.P50:N2} | {m.P99:N2} | {(side == "direct" ? "-" : added.ToString("N2", CultureInfo.InvariantCulture))} | {Cell(m.CpuMs, "N3")} | {Cell(m.AllocatedKB, "N1")} | {m.Errors:N0} |");
                chart.Add((name, side, bare is null || bare.Rps == 0 ? 0 : m.Rps / bare.Rps, side == "direct" ? 0 : added));
            }

            page.AppendLine();
        }

        page.Append(Durability(runs, workloads.Select(w => w[0]).ToList(), journal));
        page.Append(SpendControl(runs, workloads.Select(w => w[0]).ToList()));
        page.AppendLine("## Peak resident memory (VmHWM over the whole run)").AppendLine();
        foreach (var (side, megabytes) in rss)
        {
            page.AppendLine(CultureInfo.InvariantCulture, $"- {side}: {megabytes:N0} MB");
        }

        page.AppendLine().Append(Targets(runs, workloads.Select(w => w[0]).ToList(), rss));
        File.WriteAllText(output, page.ToString());
        File.WriteAllText(Path.ChangeExtension(output, ".svg"), Svg(chart, workloads.Select(w => w[0]).ToList()));
        Console.WriteLine($"wrote {output} and {Path.ChangeExtension(output, ".svg")}");
        return 0;
    }

    private static Dictionary<(string, string, string), double> Readings(string path) =>
        File.Exists(path)
            ? File.ReadAllLines(path).Select(line => line.Split('\t')).ToDictionary(f => (f[0], f[1], f[2]), f => double.Parse(f[3], CultureInfo.InvariantCulture))
            : [];

    private static List<JournalReading> JournalReadings(string path) =>
        File.Exists(path)
            ? File.ReadAllLines(path).Select(line => line.Split('\t'))
                .Select(f => new JournalReading(f[0], long.Parse(f[3], CultureInfo.InvariantCulture), long.Parse(f[4], CultureInfo.InvariantCulture), double.Parse(f[5], CultureInfo.InvariantCulture)))
                .ToList()
            : [];

    private static string Cell(double value, string format) =>
        double.IsNaN(value) ? "-" : double.IsPositiveInfinity(value) ? "∞ (other side: no 2xx)" : value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>The targets of the benchmark issue, each with the measured figure and whether it holds.</summary>
    private static string Targets(List<Run> runs, List<string> workloads, Dictionary<string, double> rss)
    {
        var page = new StringBuilder("## Targets\n\n| target | measured | holds |\n|---|---:|:---:|\n");
        void Row(string target, double measured, string format, bool holds) =>
            page.AppendLine(CultureInfo.InvariantCulture, $"| {target} | {Cell(measured, format)} | {(double.IsNaN(measured) ? "-" : holds ? "yes" : "**no**")} |");
        // Answers that failed are not throughput: ratios compare 2xx responses per second.
        double Ratio(string workload, string side, string other) =>
            Median(runs, workload, side) is { } a && Median(runs, workload, other) is { } b
                ? b.GoodRps > 0 ? a.GoodRps / b.GoodRps : double.PositiveInfinity
                : double.NaN;

        if (workloads.Contains("text"))
        {
            var bare = Ratio("text", "gateway", "bare-yarp");
            Row("text: gateway throughput ≥ 90 % of bare YARP (ratio)", bare, "N2", bare >= 0.9);
            var nginx = Ratio("text", "gateway", "nginx");
            Row("text: gateway throughput ≥ nginx (ratio)", nginx, "N2", nginx >= 1);
            var added = Median(runs, "text", "gateway") is { } g && Median(runs, "text", "direct") is { } d ? g.P50 - d.P50 : double.NaN;
            Row("text: added p50 over direct ≤ 0.5 ms", added, "N2", added <= 0.5);
        }

        if (workloads.Contains("image4k"))
        {
            var resident = rss.GetValueOrDefault("gateway", double.NaN);
            Row("gateway peak RSS ≤ 300 MB (MB, whole run incl. 64 × 16 MB)", resident, "N0", resident <= 300);
            var allocated = Median(runs, "image4k", "gateway")?.AllocatedKB ?? double.NaN;
            Row("image4k: allocated per 16 MB response ≤ 256 KB (KB)", allocated, "N1", allocated <= 256);
        }

        if (workloads.Contains("imagegz"))
        {
            // The two ways of metering compressed answers: ask the upstream for identity (default) or decode a copy.
            var cpu = Median(runs, "imagegz", "gateway") is { } identity && Median(runs, "imagegz", "gateway-passthrough") is { } decode
                ? identity.CpuMs / decode.CpuMs
                : double.NaN;
            Row("imagegz: gateway CPU per request, asking for identity ÷ decoding a copy (ratio)", cpu, "N2", cpu <= 1);
            var throughput = Ratio("imagegz", "gateway", "gateway-passthrough");
            Row("imagegz: gateway throughput, asking for identity ÷ decoding a copy (ratio)", throughput, "N2", throughput >= 1);
        }

        foreach (var workload in workloads)
        {
            var portkey = Ratio(workload, "gateway", "portkey");
            Row($"{workload}: gateway ≥ 3 × Portkey throughput (ratio)", portkey, "N1", portkey >= 3);
        }

        return page.ToString();
    }

    /// <summary>
    /// What holding the end of every answer until its record is fsynced in the journal costs: the gateway as shipped
    /// (<c>Usage:Durability=BeforeDelivery</c>) against <see cref="BestEffort"/>, on the workloads bench/run measured
    /// both on. The journal's figures are the gateway's own, read from its /metrics before and after each run.
    /// </summary>
    private static string Durability(List<Run> runs, List<string> workloads, List<JournalReading> journal)
    {
        var page = new StringBuilder();
        foreach (var workload in workloads)
        {
            if (Median(runs, workload, "gateway") is not { } held || Median(runs, workload, BestEffort) is not { } free)
            {
                continue;
            }

            if (page.Length == 0)
            {
                page.AppendLine("## Durability: answers held for their journal fsync (BeforeDelivery, the default) against not held (BestEffort)").AppendLine();
                page.AppendLine("| workload | BeforeDelivery requests/s | BestEffort requests/s | throughput ratio | BeforeDelivery p50 ms | BestEffort p50 ms | added p50 ms | fsyncs/s | records per fsync |");
                page.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            }

            var ratio = free.GoodRps > 0 ? held.GoodRps / free.GoodRps : double.NaN;
            var readings = journal.Where(r => r.Workload == workload && r.Seconds > 0).ToList();
            var fsyncsPerSecond = MedianOf(readings.Select(r => r.Fsyncs / r.Seconds));
            var recordsPerFsync = MedianOf(readings.Where(r => r.Fsyncs > 0).Select(r => (double)r.Records / r.Fsyncs));
            page.AppendLine(CultureInfo.InvariantCulture,
                $"| {workload} | {held.Rps:N0} | {free.Rps:N0} | {Cell(ratio, "N3")} | {held.P50:N2} | {free.P50:N2} | {held.P50 - free.P50:N2} | {Cell(fsyncsPerSecond, "N0")} | {Cell(recordsPerFsync, "N1")} |");
        }

        if (page.Length == 0)
        {
            return "";
        }

        page.AppendLine().AppendLine("The ratio compares 2xx responses per second (BeforeDelivery ÷ BestEffort); fsyncs/s and records per fsync are the " +
            "BeforeDelivery gateway's journal during each run (`gateway_usage_journal_group_size` count and sum, read from its /metrics before and after).");
        if (Median(runs, "image", "gateway") is { } image && Median(runs, "image", BestEffort) is { } imageFree && imageFree.GoodRps > 0)
        {
            var cost = 1 - (image.GoodRps / imageFree.GoodRps);
            page.AppendLine(CultureInfo.InvariantCulture,
                $"Target: BeforeDelivery costs at most 5 % of the image workload's throughput. Measured: {cost:P1}, {(cost <= 0.05 ? "holds" : "**missed**")}.");
        }

        return page.AppendLine().ToString();
    }

    /// <summary>
    /// What spend control costs a key that uses all of it: the gateway with a key that has no policy against
    /// <see cref="Limited"/>, whose key has rpm, concurrency and a monthly budget (never reached) set, so each request
    /// takes two permits and reserves its most in the store (one write on SQLite, one round trip on PostgreSQL).
    /// </summary>
    private static string SpendControl(List<Run> runs, List<string> workloads)
    {
        var page = new StringBuilder();
        foreach (var workload in workloads)
        {
            if (Median(runs, workload, "gateway") is not { } plain)
            {
                continue;
            }

            foreach (var side in Limited)
            {
                if (Median(runs, workload, side) is not { } limited)
                {
                    continue;
                }

                if (page.Length == 0)
                {
                    page.AppendLine("## Spend control cost: a key with rpm, concurrency and a budget set against a key with none").AppendLine();
                    page.AppendLine("| workload | side | gateway requests/s | limited requests/s | throughput ratio | gateway CPU ms/request | limited CPU ms/request | gateway allocated KB/request | limited allocated KB/request | limited p50 ms | limited non-2xx |");
                    page.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
                }

                var ratio = plain.GoodRps > 0 ? limited.GoodRps / plain.GoodRps : double.NaN;
                page.AppendLine(CultureInfo.InvariantCulture,
                    $"| {workload} | {side} | {plain.Rps:N0} | {limited.Rps:N0} | {Cell(ratio, "N3")} | {Cell(plain.CpuMs, "N3")} | {Cell(limited.CpuMs, "N3")} | {Cell(plain.AllocatedKB, "N1")} | {Cell(limited.AllocatedKB, "N1")} | {limited.P50:N2} | {limited.Errors:N0} |");
            }
        }

        if (page.Length == 0)
        {
            return "";
        }

        return page.AppendLine().AppendLine("The ratio compares 2xx responses per second (limited ÷ gateway). The limited key's figures are so high that " +
            "nothing is refused (non-2xx should be 0): the cost is the rpm and concurrency permits and the budget reservation each request takes, " +
            "and its settling in the usage record's transaction. `gateway-limited-pg` keeps keys, usage and budgets in PostgreSQL (`BENCH_POSTGRES`), " +
            "so its reservation is a round trip per request; its gateway row is the SQLite gateway's, so it also carries the store's difference.").AppendLine().ToString();
    }

    private static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
    }

    private static Figures? Median(List<Run> runs, string workload, string side)
    {
        var matching = runs.Where(r => r.Workload == workload && r.Side == side && r.Figures is not null).ToList();
        if (matching.Count == 0)
        {
            return null;
        }

        double Mid(Func<Run, double> pick) => MedianOf(matching.Select(pick));

        return new Figures(Mid(r => r.Figures!.Rps), Mid(r => r.Figures!.MBps), Mid(r => r.Figures!.P50), Mid(r => r.Figures!.P99), (long)Mid(r => r.Figures!.Errors), Mid(r => r.Figures!.Requests))
        {
            CpuMs = Mid(r => r.Figures!.CpuMs),
            AllocatedKB = Mid(r => r.Figures!.AllocatedKB),
        };
    }

    private static Figures? Parse(string wrk)
    {
        var rps = RequestsPerSecond().Match(wrk);
        if (!rps.Success)
        {
            return null;
        }

        var transfer = TransferPerSecond().Match(wrk);
        var errors = NonSuccess().Match(wrk);
        var requests = RequestCount().Match(wrk);
        return new Figures(
            double.Parse(rps.Groups[1].Value, CultureInfo.InvariantCulture),
            transfer.Success ? Bytes(transfer.Groups[1].Value, transfer.Groups[2].Value) / 1e6 : double.NaN,
            Latency(wrk, "50%"),
            Latency(wrk, "99%"),
            errors.Success ? long.Parse(errors.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            requests.Success ? double.Parse(requests.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN);
    }

    private static double Latency(string wrk, string percentile)
    {
        var match = Regex.Match(wrk, $@"^\s*{Regex.Escape(percentile)}\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant);
        if (!match.Success)
        {
            return double.NaN;
        }

        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    private static double Bytes(string value, string unit) => double.Parse(value, CultureInfo.InvariantCulture) * unit switch
    {
        "KB" => 1024,
        "MB" => 1024 * 1024,
        "GB" => 1024 * 1024 * 1024,
        _ => 1,
    };

    private static string Svg(List<(string Workload, string Side, double Relative, double AddedP50)> chart, List<string> workloads)
    {
        string[] colours = ["#9e9e9e", "#1f77b4", "#2ca02c", "#98df8a", "#ff7f0e", "#d62728"];
        const int groupWidth = 200, barWidth = 28, height = 220, top = 40, left = 60;
        var width = left + (workloads.Count * groupWidth) + 20;
        var svg = new StringBuilder();
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{(height * 2) + 120}" font-family="sans-serif" font-size="11">""");
        Panel(svg, "Throughput relative to bare YARP (1.0 = bare YARP)", top, r => r.Relative, 2.0, "x");
        Panel(svg, "Added p50 latency over direct (ms)", top + height + 50, r => Math.Max(0, r.AddedP50), Math.Max(1, chart.Select(r => double.IsNaN(r.AddedP50) ? 0 : r.AddedP50).DefaultIfEmpty(1).Max()), "ms");
        for (var s = 0; s < Sides.Length; s++)
        {
            svg.AppendLine(CultureInfo.InvariantCulture, $"""<rect x="{left + (s * 110)}" y="{(height * 2) + 105}" width="10" height="10" fill="{colours[s]}"/><text x="{left + (s * 110) + 14}" y="{(height * 2) + 114}">{Sides[s]}</text>""");
        }

        svg.AppendLine("</svg>");
        return svg.ToString();

        void Panel(StringBuilder target, string title, int y, Func<(string Workload, string Side, double Relative, double AddedP50), double> value, double max, string unit)
        {
            target.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{left}" y="{y - 12}" font-size="13">{title}</text>""");
            target.AppendLine(CultureInfo.InvariantCulture, $"""<line x1="{left}" y1="{y + height - 40}" x2="{width - 10}" y2="{y + height - 40}" stroke="#333"/>""");
            for (var w = 0; w < workloads.Count; w++)
            {
                target.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{left + (w * groupWidth)}" y="{y + height - 25}">{workloads[w]}</text>""");
                for (var s = 0; s < Sides.Length; s++)
                {
                    var row = chart.FirstOrDefault(r => r.Workload == workloads[w] && r.Side == Sides[s]);
                    var actual = row.Workload is null || double.IsNaN(value(row)) ? 0 : value(row);
                    var v = Math.Min(actual, max); // the bar is capped at the panel's scale, its tooltip is not
                    var barHeight = (height - 50) * v / max;
                    var x = left + (w * groupWidth) + (s * barWidth);
                    target.AppendLine(CultureInfo.InvariantCulture,
                        $"""<rect x="{x}" y="{y + height - 40 - barHeight:F1}" width="{barWidth - 4}" height="{barHeight:F1}" fill="{colours[s]}"><title>{Sides[s]} {actual:F2} {unit}</title></rect>""");
                }
            }
        }
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)", RegexOptions.CultureInvariant)]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"Transfer/sec:\s+([\d.]+)(B|KB|MB|GB)", RegexOptions.CultureInvariant)]
    private static partial Regex TransferPerSecond();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex NonSuccess();

    [GeneratedRegex(@"(\d+) requests in", RegexOptions.CultureInvariant)]
    private static partial Regex RequestCount();

    private sealed record Figures(double Rps, double MBps, double P50, double P99, long Errors, double Requests)
    {
        public double CpuMs { get; init; } = double.NaN;
        public double AllocatedKB { get; init; } = double.NaN;

        /// <summary>Successful responses per second: a side that answers fast with errors is not fast.</summary>
        public double GoodRps => Requests > 0 ? Rps * Math.Max(0, Requests - Errors) / Requests : Rps;
    }

    private sealed record Run(string Workload, string Side, string Round, Figures? Figures);

    /// <summary>One measured run of the gateway: its journal's fsyncs and the records they made durable, over seconds.</summary>
    private sealed record JournalReading(string Workload, long Fsyncs, long Records, double Seconds);
}

using System.Diagnostics;
using System.Globalization;

using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

using Routescope.Gateway.Hosting;
using Routescope.Gateway.Storage;
using Routescope.Gateway.Storage.Postgres;
using Routescope.Gateway.Storage.Sqlite;
using Routescope.Gateway.Usage;
using Routescope.Gateway.Usage.Journal;

namespace Routescope.Gateway.Benchmarks;

/// <summary>
/// <c>--sink [--records N]</c>: how many usage records per second the sink makes durable in its journal and commits into
/// SQLite and into PostgreSQL (when <c>GATEWAY_TEST_POSTGRES</c> names a server), from 256 concurrent requests, and how
/// long <see cref="UsageSink.KeepAsync"/> keeps a request (the journal's group fsync).
/// </summary>
internal static class SinkRunner
{
    public static async Task<int> RunAsync(string[] args)
    {
        var index = Array.IndexOf(args, "--records");
        var records = index >= 0 ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : 200_000;
        Console.WriteLine($"usage sink: {records:N0} records per store, batch 1,000, .NET {Environment.Version}, {Environment.ProcessorCount} CPUs");
        Console.WriteLine($"{"Store",-12} {"Records/s",12} {"Keep p50 µs",12} {"Keep p99 µs",12} {"Stored",10}");

        var directory = Path.Combine(Path.GetTempPath(), "rsg-sink-bench-" + Guid.NewGuid().ToString("N"));
        var dataDirectory = Options.Create(new DataDirectoryOptions { Path = directory });
        var sqlite = new SqliteDatabase(Options.Create(new StoreOptions()), dataDirectory);
        await new SqliteMigrator(sqlite, TimeProvider.System, NullLogger<SqliteMigrator>.Instance).MigrateAsync(CancellationToken.None);
        await MeasureAsync("SQLite", new SqliteUsageStore(sqlite, TimeProvider.System), dataDirectory, records);

        if (Environment.GetEnvironmentVariable("GATEWAY_TEST_POSTGRES") is { Length: > 0 } postgres)
        {
            await using var database = new PostgresDatabase(Options.Create(new StoreOptions { ConnectionString = postgres }));
            await new PostgresMigrator(database, NullLogger<PostgresMigrator>.Instance).MigrateAsync(CancellationToken.None);
            await MeasureAsync("PostgreSQL", new PostgresUsageStore(database, TimeProvider.System), dataDirectory, records);
        }
        else
        {
            Console.WriteLine("PostgreSQL   skipped: set GATEWAY_TEST_POSTGRES (e.g. from .ci/postgres start DIR PORT)");
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
        return 0;
    }

    private static async Task MeasureAsync(string name, IUsageStore store, IOptions<DataDirectoryOptions> dataDirectory, int count)
    {
        var prefix = name + "-" + Guid.NewGuid().ToString("N")[..8] + "-";
        var template = Template();
        var items = Enumerable.Range(0, count).Select(i => template with { RequestId = prefix + i.ToString(CultureInfo.InvariantCulture), RecordId = prefix + i.ToString(CultureInfo.InvariantCulture), StartedAt = template.StartedAt.AddMilliseconds(i) }).ToArray();
        using var meters = new MeterFactory();
        var usageOptions = Options.Create(new UsageOptions { BatchSize = 1_000 });
        var metrics = new UsageMetrics(meters);
        var journal = new UsageJournal(dataDirectory.Value.File(name + "-journal"), usageOptions.Value, metrics, TimeProvider.System, NullLogger.Instance);
        using var sink = new UsageSink(journal, store, new LegacySpill(dataDirectory, usageOptions), new UsageQuarantine(dataDirectory), metrics, usageOptions,
            TimeProvider.System, NullLogger<UsageSink>.Instance);
        await sink.StartAsync(CancellationToken.None);

        var keep = new long[count];
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 256 }, async (i, _) =>
        {
            var before = Stopwatch.GetTimestamp();
            await sink.KeepAsync([items[i]]);
            keep[i] = Stopwatch.GetTimestamp() - before;
        });

        // Stopping moves what the journal holds into the store: the clock stops when every record is committed.
        await sink.StopAsync(CancellationToken.None);
        var elapsed = clock.Elapsed;

        long stored = 0;
        await foreach (var record in store.ReadAsync(template.StartedAt, template.StartedAt.AddDays(30), CancellationToken.None))
        {
            stored += record.RequestId.StartsWith(prefix, StringComparison.Ordinal) ? 1 : 0;
        }

        Array.Sort(keep);
        static double Micros(long ticks) => ticks * 1e6 / Stopwatch.Frequency;
        Console.WriteLine($"{name,-12} {count / elapsed.TotalSeconds,12:N0} {Micros(keep[count / 2]),12:N0} {Micros(keep[(int)(count * 0.99)]),12:N0} {stored,10:N0}");
    }

    private static UsageRecord Template() => new()
    {
        RequestId = "template",
        StartedAt = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero),
        EndedAt = new DateTimeOffset(2026, 11, 1, 0, 0, 2, TimeSpan.Zero),
        KeyId = "key_0123456789abcdef",
        KeyPrefix = "rsg_AbCdEfGh",
        KeyName = "team-a",
        KeyGroup = "default",
        Operation = "generateContent",
        RequestedModel = "gemini-3.1-flash-image-preview",
        ServedModel = "gemini-2.5-flash-image",
        FallbackChain = "gemini-3.1-flash-image-preview 503 -> gemini-2.5-flash-image",
        Channel = "routescope",
        HttpStatus = 200,
        UpstreamStatus = 200,
        Outcome = UsageOutcome.Complete,
        PromptTokens = 12,
        CandidatesTokens = 1298,
        TotalTokens = 1310,
        OutputTextTokens = 8,
        OutputImageTokens = 1290,
        ModalityDetails = "prompt:TEXT=12;candidates:IMAGE=1290",
        Images = 1,
        FinishReasons = "STOP",
        ModelVersion = "gemini-2.5-flash-image",
        ResponseId = "resp",
        AspectRatio = "16:9",
        LatencyMs = 1850.5,
        TimeToFirstByteMs = 1700.25,
        BytesIn = 300,
        BytesOut = 1_700_000,
        InputPerMillion = 0.30m,
        OutputTextPerMillion = 2.50m,
        OutputImagePerMillion = 30m,
        ChannelRatio = 1m,
        GroupRatio = 1m,
        ChargebackCost = 0.0387236m,
        Currency = "USD",
    };

    /// <summary>A minimal meter factory for running the sink outside a host.</summary>
    private sealed class MeterFactory : System.Diagnostics.Metrics.IMeterFactory
    {
        private readonly List<System.Diagnostics.Metrics.Meter> _meters = [];

        public System.Diagnostics.Metrics.Meter Create(System.Diagnostics.Metrics.MeterOptions options)
        {
            var meter = new System.Diagnostics.Metrics.Meter(options.Name, options.Version);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose() => _meters.ForEach(meter => meter.Dispose());
    }
}

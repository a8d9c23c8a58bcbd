using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

using Routescope.Gateway.Hosting;
using Routescope.Gateway.Storage;
using Routescope.Gateway.Storage.Postgres;
using Routescope.Gateway.Storage.Sqlite;
using Routescope.Gateway.Tests.Infrastructure;
using Routescope.Gateway.Tests.Storage;
using Routescope.Gateway.Usage;
using Routescope.Gateway.Usage.Periods;

namespace Routescope.Gateway.Tests.Periods;

/// <summary>Closing a month against record writes in flight, and the shared backlog reports, on each store.</summary>
public abstract class PeriodStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Month = new(2026, 9, 1, 0, 0, 0, TimeSpan.Zero);

    internal IUsageStore Usage { get; set; } = null!;
    internal IUsagePeriodStore Periods { get; set; } = null!;

    /// <summary>Concurrent writers: SQLite has one writer per gateway, and more only queue on its lock.</summary>
    private protected virtual int Writers => 6;

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();

    [Fact]
    public async Task A_record_written_while_its_month_closes_is_in_the_month_before_the_close_or_a_correction_after_never_both()
    {
        await Usage.WriteAsync([StoreContractTests.Record("first", "k0", "m", Month.AddDays(1), 1m)], CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var written = 0;
        var writers = Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            // Until stopped, however fast: writers that ran out of batches before the close ended left the wait below
            // for writes after the close with nothing to see (the flake of a fast store on a loaded machine).
            for (var batch = 0; !stop.IsCancellationRequested; batch++)
            {
                var records = Enumerable.Range(0, 3)
                    .Select(i => StoreContractTests.Record($"w{writer}-{batch}-{i}", "k" + writer, "m", Month.AddDays(5).AddMinutes(batch % 10_000), 0.01m))
                    .ToArray();
                await Usage.WriteAsync(records, CancellationToken.None);
                Interlocked.Add(ref written, records.Length);
            }
        })).ToArray();

        // Generous bounds: on a loaded machine the writers may commit slowly; the test waits for writes, never times them.
        await Eventually.TrueAsync(() => Volatile.Read(ref written) >= 60, TimeSpan.FromSeconds(90));
        var closed = await Periods.CloseThroughAsync(Month, DateTimeOffset.UtcNow, CancellationToken.None);
        var atClose = await ReadAsync(Month, Month.AddMonths(1));
        var writtenAtClose = Volatile.Read(ref written);
        await Eventually.TrueAsync(() => Volatile.Read(ref written) >= writtenAtClose + 30, TimeSpan.FromSeconds(90));
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        var inMonth = await ReadAsync(Month, Month.AddMonths(1));
        var corrections = await ReadAsync(Month.AddMonths(1), Month.AddMonths(2));

        Assert.Equal(["2026-09"], closed);
        // The month's records as it closed are its records for good: no write in flight slipped in after.
        Assert.Equal(atClose.Select(r => r.RecordId).Order(), inMonth.Select(r => r.RecordId).Order());
        Assert.All(inMonth, record => Assert.Equal(string.Empty, record.ChargeClass));
        Assert.NotEmpty(corrections);
        Assert.All(corrections, record =>
        {
            Assert.Equal(PeriodAttribution.Correction, record.ChargeClass);
            Assert.Equal(Month.AddMonths(1), record.BilledAt);
        });
        Assert.Equal(written + 1, inMonth.Count + corrections.Count);
    }

    [Fact]
    public async Task Months_close_in_order_from_the_first_with_records_and_never_twice()
    {
        await Usage.WriteAsync([StoreContractTests.Record("old", "k1", "m", Month.AddMonths(-3).AddDays(2), 1m)], CancellationToken.None);

        var first = await Periods.CloseThroughAsync(Month.AddMonths(-2), DateTimeOffset.UtcNow, CancellationToken.None);
        var again = await Periods.CloseThroughAsync(Month.AddMonths(-2), DateTimeOffset.UtcNow, CancellationToken.None);
        var next = await Periods.CloseThroughAsync(Month, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(["2026-06", "2026-07"], first);
        Assert.Empty(again);
        Assert.Equal(["2026-08", "2026-09"], next);
        Assert.Equal(["2026-06", "2026-07", "2026-08", "2026-09"], (await Periods.ClosedMonthsAsync(CancellationToken.None)).Keys.Order());
    }

    [Fact]
    public async Task A_replica_sees_the_live_others_backlogs_but_not_its_own_nor_one_that_left()
    {
        var oldest = new DateTimeOffset(2026, 9, 3, 4, 5, 6, TimeSpan.Zero);
        await Periods.ReportBacklogAsync("a", 0, null, TimeSpan.FromMinutes(1), CancellationToken.None);
        await Periods.ReportBacklogAsync("b", 7, oldest, TimeSpan.FromMinutes(1), CancellationToken.None);
        await Periods.ReportBacklogAsync("c", 2, oldest, TimeSpan.FromMinutes(1), CancellationToken.None);
        await Periods.LeaveAsync("c", CancellationToken.None);

        var others = await Periods.OtherBacklogsAsync("a", TimeSpan.FromMinutes(1), CancellationToken.None);

        var b = Assert.Single(others);
        Assert.Equal(7, b.Records);
        Assert.Equal(oldest, b.Oldest);
    }

    private async Task<List<UsageRecord>> ReadAsync(DateTimeOffset from, DateTimeOffset to)
    {
        var records = new List<UsageRecord>();
        await foreach (var record in Usage.ReadAsync(from, to, CancellationToken.None))
        {
            records.Add(record);
        }

        return records;
    }
}

public sealed class SqlitePeriodStoreTests : PeriodStoreTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "rsg-periods-" + Guid.NewGuid().ToString("N"));

    private protected override int Writers => 2;

    public override async Task InitializeAsync()
    {
        var database = new SqliteDatabase(Options.Create(new StoreOptions()), Options.Create(new DataDirectoryOptions { Path = _directory }));
        await new SqliteMigrator(database, TimeProvider.System, NullLogger<SqliteMigrator>.Instance).MigrateAsync(CancellationToken.None);
        Usage = new SqliteUsageStore(database, TimeProvider.System);
        Periods = new SqliteUsagePeriodStore(database, TimeProvider.System);
    }

    public override Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}

public sealed class PostgresPeriodStoreTests : PeriodStoreTests
{
    private string _connectionString = null!;

    public override async Task InitializeAsync()
    {
        _connectionString = await TestPostgres.CreateDatabaseAsync();
        var database = new PostgresDatabase(Options.Create(new StoreOptions { ConnectionString = _connectionString }));
        await new PostgresMigrator(database, NullLogger<PostgresMigrator>.Instance).MigrateAsync(CancellationToken.None);
        Usage = new PostgresUsageStore(database, TimeProvider.System);
        Periods = new PostgresUsagePeriodStore(database);
    }

    public override Task DisposeAsync() => TestPostgres.DropDatabaseAsync(_connectionString);
}

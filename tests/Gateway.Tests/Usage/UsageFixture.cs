using Microsoft.Extensions.DependencyInjection;

using Routescope.Gateway.Storage;
using Routescope.Gateway.Storage.Postgres;
using Routescope.Gateway.Storage.Sqlite;
using Routescope.Gateway.Tests.Infrastructure;
using Routescope.Gateway.Usage;

namespace Routescope.Gateway.Tests.Usage;

/// <summary>The same gateway on a PostgreSQL database of its own (scale-out store).</summary>
public sealed class PostgresUsageFixture : UsageFixture
{
    protected override bool OnPostgres => true;
}

/// <summary>A store that fails on demand, to prove records survive an outage, and refuses poisoned records as a store refuses bad values.</summary>
internal sealed class FlakyUsageStore(IUsageStore inner) : IUsageStore
{
    public volatile bool Failing;

    /// <summary>Request ids whose records this store cannot hold.</summary>
    public HashSet<string> Poisoned { get; } = [];

    public Task WriteAsync(IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken)
    {
        if (Failing)
        {
            throw new InvalidOperationException("store down (test)");
        }

        lock (Poisoned)
        {
            if (records.Any(record => Poisoned.Contains(record.RequestId)))
            {
                throw new FormatException("a value the store cannot hold (test)");
            }
        }

        return inner.WriteAsync(records, cancellationToken);
    }

    public bool IsRecordProblem(Exception exception) => inner.IsRecordProblem(exception);

    public IAsyncEnumerable<UsageRecord> ReadAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        inner.ReadAsync(from, to, cancellationToken);
}

/// <summary>A gateway with billing ratios, a quick replay and a store the test can take down.</summary>
public class UsageFixture : GatewayFixture
{
    internal FlakyUsageStore Store { get; private set; } = null!;

    protected override GatewayFactory CreateFactory(Dictionary<string, string?> settings)
    {
        if (ConnectionString is not null)
        {
            settings["ConnectionStrings:Gateway"] = ConnectionString;
        }

        settings["Usage:ReplayInterval"] = "00:00:00.200";
        // Segments of a few records: rolling (and so creating files) happens all the time, as it does under load.
        settings["Usage:JournalSegmentBytes"] = "4096";
        settings["Billing:GroupRatios:discounted"] = "0.8";
        settings["Billing:ChannelRatios:routescope"] = "1.1";
        return new GatewayFactory(settings, services: services => services.AddSingleton<IUsageStore>(provider =>
            Store = new FlakyUsageStore(ConnectionString is null
                ? new SqliteUsageStore(provider.GetRequiredService<SqliteDatabase>(), TimeProvider.System)
                : new PostgresUsageStore(provider.GetRequiredService<PostgresDatabase>(), TimeProvider.System))));
    }

    /// <summary>The PostgreSQL database of this fixture; null for the embedded SQLite store.</summary>
    protected string? ConnectionString { get; private set; }

    /// <summary>Whether this fixture's gateway keeps its keys and usage in a PostgreSQL database of its own.</summary>
    protected virtual bool OnPostgres => false;

    public override async Task InitializeAsync()
    {
        if (OnPostgres)
        {
            ConnectionString = await TestPostgres.CreateDatabaseAsync();
        }

        await base.InitializeAsync();
        // Proves the configuration really selected the store under test (not a silent fallback to SQLite).
        var migrator = Factory.Services.GetRequiredService<IStoreMigrator>();
        Assert.Equal(ConnectionString is null ? typeof(SqliteMigrator) : typeof(PostgresMigrator), migrator.GetType());
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (ConnectionString is not null)
        {
            await TestPostgres.DropDatabaseAsync(ConnectionString);
        }
    }

    /// <summary>The deployment settings plus the store connection, for a second replica of this gateway.</summary>
    public Dictionary<string, string?> StoreSettings()
    {
        var settings = Settings();
        settings["ConnectionStrings:Gateway"] = ConnectionString;
        return settings;
    }

    /// <summary>Every stored record, waiting until those with the given ids are all there (the sink is asynchronous).</summary>
    internal async Task<IReadOnlyList<UsageRecord>> RecordsAsync(IEnumerable<string> requestIds, TimeSpan? timeout = null)
    {
        var wanted = requestIds.ToHashSet(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var all = new List<UsageRecord>();
            await foreach (var record in Store.ReadAsync(DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow.AddDays(1), CancellationToken.None))
            {
                all.Add(record);
            }

            if (wanted.IsSubsetOf(all.Select(r => r.RequestId)) || DateTime.UtcNow > deadline)
            {
                return all;
            }

            await Task.Delay(50);
        }
    }
}

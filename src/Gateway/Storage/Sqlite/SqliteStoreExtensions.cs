using Routescope.Gateway.Audit;
using Routescope.Gateway.Keys;
using Routescope.Gateway.Policy.Budgets;
using Routescope.Gateway.Policy.Replicas;
using Routescope.Gateway.Usage;
using Routescope.Gateway.Usage.Periods;

namespace Routescope.Gateway.Storage.Sqlite;

internal static class SqliteStoreExtensions
{
    /// <summary>The embedded store: one file in the data directory, for one node.</summary>
    public static IServiceCollection AddSqliteStore(this IServiceCollection services)
    {
        services.AddSingleton<SqliteDatabase>();
        services.AddSingleton<IStoreMigrator, SqliteMigrator>();
        services.AddSingleton<IKeyStore, SqliteKeyStore>();
        services.AddSingleton<IAuditStore, SqliteAuditStore>();
        services.AddSingleton<IUsageStore, SqliteUsageStore>();
        services.AddSingleton<IUsagePeriodStore, SqliteUsagePeriodStore>();
        services.AddSingleton<IReplicaRegistry, SqliteReplicaRegistry>();
        services.AddSingleton<IBudgetStore, SqliteBudgetStore>();
        services.AddSingleton<StoreHealthCheck, SqliteHealthCheck>();
        return services;
    }
}

using Routescope.Gateway.Audit;
using Routescope.Gateway.Keys;
using Routescope.Gateway.Policy.Budgets;
using Routescope.Gateway.Policy.Replicas;
using Routescope.Gateway.Usage;
using Routescope.Gateway.Usage.Periods;

namespace Routescope.Gateway.Storage.Postgres;

internal static class PostgresStoreExtensions
{
    /// <summary>The shared store for several replicas: keys, usage and schema in one PostgreSQL database.</summary>
    public static IServiceCollection AddPostgresStore(this IServiceCollection services)
    {
        services.AddSingleton<PostgresDatabase>();
        services.AddSingleton<IStoreMigrator, PostgresMigrator>();
        services.AddSingleton<IKeyStore, PostgresKeyStore>();
        services.AddSingleton<IAuditStore, PostgresAuditStore>();
        services.AddSingleton<IUsageStore, PostgresUsageStore>();
        services.AddSingleton<IUsagePeriodStore, PostgresUsagePeriodStore>();
        services.AddSingleton<IReplicaRegistry, PostgresReplicaRegistry>();
        services.AddSingleton<IBudgetStore, PostgresBudgetStore>();
        services.AddSingleton<StoreHealthCheck, PostgresHealthCheck>();
        return services;
    }
}

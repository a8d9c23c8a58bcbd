using Microsoft.Extensions.Diagnostics.HealthChecks;

using Routescope.Gateway.Observability;
using Routescope.Gateway.Storage.Postgres;
using Routescope.Gateway.Storage.Sqlite;

namespace Routescope.Gateway.Storage;

internal static class StorageExtensions
{
    /// <summary>
    /// The store, chosen once here from <c>ConnectionStrings:Gateway</c>: the provider registers its database, migrator,
    /// key store, usage store and ping, which readiness, the <c>gateway_store_available</c> gauge and its background probe share; <c>Keys/</c> and <c>Usage/</c> only see their interfaces.
    /// </summary>
    public static IServiceCollection AddGatewayStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StoreOptions>()
            .Bind(configuration.GetSection(StoreOptions.SectionName))
            .Configure(options =>
            {
                if (configuration.GetConnectionString("Gateway") is { Length: > 0 } connectionString)
                {
                    options.ConnectionString = connectionString;
                }
            })
            .Validate(options => options.ConnectionString is null || IsSqlite(options.ConnectionString) || StoreProviders.For(options.ConnectionString) == StoreProvider.PostgreSql,
                "ConnectionStrings:Gateway must be a SQLite (Data Source=…) or PostgreSQL (Host=…;Database=…;Username=…) connection string.")
            .ValidateOnStart();
        if (StoreProviders.For(configuration.GetConnectionString("Gateway")) == StoreProvider.PostgreSql)
        {
            services.AddPostgresStore();
        }
        else
        {
            services.AddSqliteStore();
        }

        services.AddHostedService<StoreMigrationService>();
        services.AddSingleton<StoreMetrics>();
        services.AddSingleton<StoreAvailability>();
        services.AddHostedService<StoreProbe>();
        // Resolved from the container rather than made per probe: the background probe and readiness share it.
        services.AddHealthChecks().Add(new HealthCheckRegistration(StoreHealthCheck.Name, provider => provider.GetRequiredService<StoreHealthCheck>(), null, [HealthTags.Ready]));
        return services;
    }

    private static bool IsSqlite(string connectionString) =>
        connectionString.TrimStart().StartsWith("Data Source", StringComparison.OrdinalIgnoreCase)
        || connectionString.TrimStart().StartsWith("DataSource", StringComparison.OrdinalIgnoreCase);
}

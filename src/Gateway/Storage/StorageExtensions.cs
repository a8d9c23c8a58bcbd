using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Storage;

internal static class StorageExtensions
{
    public static IServiceCollection AddGatewayStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StoreOptions>()
            .Bind(configuration.GetSection(StoreOptions.SectionName))
            .Configure(options =>
            {
                if (configuration["GATEWAY_DATA_DIR"] is { Length: > 0 } dataDirectory)
                {
                    options.DataDirectory = dataDirectory;
                }

                if (configuration.GetConnectionString("Gateway") is { Length: > 0 } connectionString)
                {
                    options.ConnectionString = connectionString;
                }
            })
            .Validate(options => !string.IsNullOrWhiteSpace(options.DataDirectory), "Store:DataDirectory (GATEWAY_DATA_DIR) must not be empty.")
            .Validate(options => options.ConnectionString is null || IsSqlite(options.ConnectionString) || StoreProviders.For(options.ConnectionString) == StoreProvider.PostgreSql,
                "ConnectionStrings:Gateway must be a SQLite (Data Source=…) or PostgreSQL (Host=…;Database=…;Username=…) connection string.")
            .ValidateOnStart();

        if (Provider(configuration) == StoreProvider.PostgreSql)
        {
            services.AddSingleton<PostgresDatabase>();
            services.AddSingleton<IStoreMigrator, PostgresMigrator>();
            services.AddSingleton<IStoreProbe, PostgresStoreProbe>();
        }
        else
        {
            services.AddSingleton<SqliteDatabase>();
            services.AddSingleton<IStoreMigrator, SqliteMigrator>();
            services.AddSingleton<IStoreProbe, SqliteStoreProbe>();
        }

        services.AddHostedService<StoreMigrationService>();
        services.AddHealthChecks().AddCheck<StoreHealthCheck>("store", tags: [HealthTags.Ready]);
        return services;
    }

    /// <summary>The store the configuration asks for; SQLite unless <c>ConnectionStrings:Gateway</c> names a PostgreSQL host.</summary>
    public static StoreProvider Provider(IConfiguration configuration) => StoreProviders.For(configuration.GetConnectionString("Gateway"));

    private static bool IsSqlite(string connectionString) =>
        connectionString.TrimStart().StartsWith("Data Source", StringComparison.OrdinalIgnoreCase)
        || connectionString.TrimStart().StartsWith("DataSource", StringComparison.OrdinalIgnoreCase);
}

namespace Routescope.Gateway.Storage;

/// <summary>Which database holds the shared state.</summary>
internal enum StoreProvider
{
    /// <summary>The embedded default: one node, a file in the data directory.</summary>
    Sqlite,

    /// <summary>For several replicas: keys, usage and schema shared through one PostgreSQL database.</summary>
    PostgreSql,
}

internal static class StoreProviders
{
    /// <summary>Npgsql connection strings name a host; SQLite ones a data source.</summary>
    public static StoreProvider For(string? connectionString) =>
        connectionString is { } text && (text.TrimStart().StartsWith("Host=", StringComparison.OrdinalIgnoreCase) || text.Contains(";Host=", StringComparison.OrdinalIgnoreCase)
            || text.TrimStart().StartsWith("Server=", StringComparison.OrdinalIgnoreCase))
            ? StoreProvider.PostgreSql
            : StoreProvider.Sqlite;
}

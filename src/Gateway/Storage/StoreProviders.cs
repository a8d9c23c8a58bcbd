namespace Routescope.Gateway.Storage;

/// <summary>Which provider a connection string names.</summary>
internal static class StoreProviders
{
    /// <summary>Npgsql connection strings name a host; SQLite ones a data source.</summary>
    public static StoreProvider For(string? connectionString) =>
        connectionString is { } text && (text.TrimStart().StartsWith("Host=", StringComparison.OrdinalIgnoreCase) || text.Contains(";Host=", StringComparison.OrdinalIgnoreCase)
            || text.TrimStart().StartsWith("Server=", StringComparison.OrdinalIgnoreCase))
            ? StoreProvider.PostgreSql
            : StoreProvider.Sqlite;
}

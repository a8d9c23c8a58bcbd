namespace Routescope.Gateway.Storage;

/// <summary>Which database holds the shared state.</summary>
internal enum StoreProvider
{
    /// <summary>The embedded default: one node, a file in the data directory.</summary>
    Sqlite,

    /// <summary>For several replicas: keys, usage and schema shared through one PostgreSQL database.</summary>
    PostgreSql,
}

namespace Routescope.Gateway.Storage;

/// <summary>
/// Where shared state lives: the embedded SQLite database in the data directory (<c>Store:DataDirectory</c>) unless
/// <c>ConnectionStrings:Gateway</c> names another.
/// </summary>
internal sealed class StoreOptions
{
    public const string SectionName = "Store";

    /// <summary><c>ConnectionStrings:Gateway</c>; empty means the embedded SQLite database.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>How long a readiness probe may wait for the store.</summary>
    public TimeSpan ReadinessTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How often the store is pinged in the background for <c>gateway_store_available</c> (readiness probes ping it
    /// too), so the gauge is current even where nothing probes readiness.
    /// </summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(10);
}

namespace Routescope.Gateway.Storage;

/// <summary>Where shared state lives. SQLite in <see cref="DataDirectory"/> unless a connection string says otherwise.</summary>
internal sealed class StoreOptions
{
    public const string SectionName = "Store";

    /// <summary>Directory of the SQLite database (and, later, spill files). <c>GATEWAY_DATA_DIR</c> overrides it.</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary><c>ConnectionStrings:Gateway</c>; empty means the embedded SQLite database.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>How long a readiness probe may wait for the store.</summary>
    public TimeSpan ReadinessTimeout { get; set; } = TimeSpan.FromSeconds(2);
}

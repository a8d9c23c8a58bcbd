namespace Routescope.Gateway.Keys;

internal sealed class KeysOptions
{
    public const string SectionName = "Keys";

    /// <summary>
    /// How long a replica trusts what it read about a key. A revocation takes effect at once on the replica that made
    /// it and within this time on the others.
    /// </summary>
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most entries the lookup cache holds (unknown keys included, so a flood of bad keys stays bounded).</summary>
    public int CacheSize { get; set; } = 100_000;

    /// <summary>Group a key gets when created without one.</summary>
    public string DefaultGroup { get; set; } = "default";
}

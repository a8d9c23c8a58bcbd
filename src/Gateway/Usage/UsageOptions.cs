namespace Routescope.Gateway.Usage;

/// <summary>The <c>Usage</c> section: how records travel from requests to the store.</summary>
internal sealed class UsageOptions
{
    public const string SectionName = "Usage";

    /// <summary>Records waiting for the writer; beyond this they go straight to the spill file (never dropped, never waited on).</summary>
    public int QueueCapacity { get; set; } = 100_000;

    /// <summary>Most records committed in one transaction.</summary>
    public int BatchSize { get; set; } = 1_000;

    /// <summary>How often spilled records are offered to the store again.</summary>
    public TimeSpan ReplayInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Spill file name, in the data directory.</summary>
    public string SpillFileName { get; set; } = "usage-spill.jsonl";
}

namespace Routescope.Gateway.Usage;

/// <summary>The <c>Usage</c> section: how records travel from requests to the store.</summary>
internal sealed class UsageOptions
{
    public const string SectionName = "Usage";

    /// <summary>Records waiting for the writer; beyond this they go straight to the spill file (never dropped, never waited on).</summary>
    public int QueueCapacity { get; set; } = 100_000;

    /// <summary>Most records committed in one transaction.</summary>
    public int BatchSize { get; set; } = 1_000;

    /// <summary>
    /// How long the writer waits after the first record of a batch for more to arrive (group commit). Each commit is one
    /// transaction and, on SQLite, one fsync; under load this turns thousands of tiny commits a second into a few dozen.
    /// Zero commits as soon as a record arrives.
    /// </summary>
    public TimeSpan CommitDelay { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>How often spilled records are offered to the store again.</summary>
    public TimeSpan ReplayInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// After the client left, how much more of the upstream's answer the gateway reads (without forwarding it) to get
    /// the usage the upstream bills by. The route's timeout bounds it too.
    /// </summary>
    public long DrainMaxBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>After the client left, how long the gateway keeps reading the upstream's answer for its usage.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Spill file name, in the data directory.</summary>
    public string SpillFileName { get; set; } = "usage-spill.jsonl";
}

namespace Routescope.Gateway.Usage;

/// <summary>The <c>Usage</c> section: how records travel from requests to the store.</summary>
internal sealed class UsageOptions
{
    public const string SectionName = "Usage";

    /// <summary>
    /// <c>BeforeDelivery</c> (default): no client gets the end of a billable answer before its record is on disk;
    /// <c>BestEffort</c>: answers are never held, and a disk that refuses writes costs records instead of requests.
    /// </summary>
    public UsageDurability Durability { get; set; } = UsageDurability.BeforeDelivery;

    /// <summary>
    /// Records the journal could not take (its disk refused them) waiting in memory for the store; beyond this they are
    /// lost, and counted.
    /// </summary>
    public int QueueCapacity { get; set; } = 100_000;

    /// <summary>Most records moved from the journal to the store in one transaction.</summary>
    public int BatchSize { get; set; } = 1_000;

    /// <summary>
    /// How long the writer waits after records reached the journal for more to arrive before it commits them to the store
    /// (group commit). Each commit is one transaction and, on SQLite, one fsync; under load this turns thousands of tiny
    /// commits a second into a few dozen. No client waits for it: answers wait only for the journal's fsync.
    /// </summary>
    public TimeSpan CommitDelay { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>How long the writer waits before offering the store a batch it refused again.</summary>
    public TimeSpan ReplayInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The journal's folder, in the data directory.</summary>
    public string JournalDirectoryName { get; set; } = "usage-journal";

    /// <summary>Size at which the journal starts a new segment file (segments are deleted once the store has their records).</summary>
    public long JournalSegmentBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>While the journal's disk refuses writes, how often it is probed for room again.</summary>
    public TimeSpan JournalProbeInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A journal write or fsync that has not returned after this long is a stalled disk: its requests are answered as
    /// if the disk had refused, and the journal counts as unavailable until a write returns.
    /// </summary>
    public TimeSpan JournalStallTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// After the client left, how much more of the upstream's answer the gateway reads (without forwarding it) to get
    /// the usage the upstream bills by. The route's timeout bounds it too.
    /// </summary>
    public long DrainMaxBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>After the client left, how long the gateway keeps reading the upstream's answer for its usage.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The spill file of versions before the journal, in the data directory: read into the journal at start, then deleted.
    /// </summary>
    public string SpillFileName { get; set; } = "usage-spill.jsonl";

    /// <summary>
    /// How long after its end a month stays open for records still on their way (a replica's journal after an outage,
    /// a spill): it closes once this has passed and no record of it waits anywhere. Later records are corrections.
    /// </summary>
    public TimeSpan PeriodGrace { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often each replica reports its backlog to the shared store and closes the months that are due.</summary>
    public TimeSpan PeriodCheckInterval { get; set; } = TimeSpan.FromSeconds(30);
}

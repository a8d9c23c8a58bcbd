namespace Routescope.Gateway.Usage;

/// <summary><c>Usage:Durability</c>: what the gateway does when a usage record cannot be made durable.</summary>
internal enum UsageDurability
{
    /// <summary>
    /// The end of an answer reaches the client only once its record is fsynced in the journal; while the journal's disk
    /// refuses writes, billable requests get 503 and readiness fails. No client holds an answer whose record could be lost.
    /// </summary>
    BeforeDelivery,

    /// <summary>
    /// Answers are not held back: records are journaled as they come, and while the disk refuses they wait in memory
    /// for the store. Availability first; a crash can lose the records of the last moments.
    /// </summary>
    BestEffort,
}

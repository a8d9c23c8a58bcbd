namespace Routescope.Gateway.Usage;

/// <summary>Takes the usage records of a request as it ends.</summary>
internal interface IUsageSink
{
    /// <summary>
    /// Keeps the records. True once they are durable (fsynced in the journal), or at once with
    /// <see cref="UsageDurability.BestEffort"/>; false when the journal's disk refused them (they still go to the store
    /// from memory, best effort). Never throws for an I/O error.
    /// </summary>
    ValueTask<bool> KeepAsync(IReadOnlyList<UsageRecord> records);
}

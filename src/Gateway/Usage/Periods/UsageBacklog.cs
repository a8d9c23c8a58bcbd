using Routescope.Gateway.Usage.Journal;

namespace Routescope.Gateway.Usage.Periods;

/// <summary>The records this replica holds that the store does not have yet: in memory, in the journal.</summary>
internal sealed class UsageBacklog(UsageSink sink, UsageJournal journal)
{
    public long Records => journal.Pending + sink.QueueDepth;

    /// <summary>
    /// The earliest completion time among those records (a spill imported at start is in the journal by then), or null
    /// when there are none: everything that ended before it is in the store, as far as this replica goes.
    /// </summary>
    public DateTimeOffset? Oldest()
    {
        var memory = sink.OldestInMemory;
        var journaled = journal.OldestPending();
        return memory is null ? journaled : journaled is null || memory < journaled ? memory : journaled;
    }
}

using Routescope.Gateway.Usage.Journal;

namespace Routescope.Gateway.Usage.Periods;

/// <summary>The records this replica holds that the store does not have yet: in memory, in the journal.</summary>
internal sealed class UsageBacklog(UsageSink sink, UsageJournal journal)
{
    public long Records => journal.Pending + sink.QueueDepth;
}

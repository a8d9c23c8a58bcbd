namespace Routescope.Gateway.Usage.Journal;

/// <summary>
/// Records read back from the journal, the place just after the last line read, and the lines that were not whole
/// records (the torn tail of a group a crash interrupted before its fsync returned).
/// </summary>
internal sealed record JournalRead(IReadOnlyList<UsageRecord> Records, JournalPosition End, int TornLines);

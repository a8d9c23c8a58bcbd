namespace Routescope.Gateway.Usage.Journal;

/// <summary>
/// Records read back from the journal, the place just after the last line read, and the lines that were no whole
/// records (<see cref="TornLines"/>): garbage a failed write left, each ended by a '\n' and so counted among the
/// journal's lines, and torn tails (<see cref="TornTails"/>, also among the torn lines): a segment's last line
/// without its '\n', a group a crash interrupted before its fsync returned, never counted.
/// </summary>
internal sealed record JournalRead(IReadOnlyList<UsageRecord> Records, JournalPosition End, int TornLines, int TornTails = 0)
{
    /// <summary>How many of the journal's counted lines this read consumed.</summary>
    public int Lines => Records.Count + TornLines - TornTails;
}

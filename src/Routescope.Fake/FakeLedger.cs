using System.Collections.Concurrent;

namespace Routescope.Fake;

/// <summary>
/// The fake's bounded ledger. An entry is written when the request arrives, with its bill already decided, so a test
/// that reads the ledger during a delay sees the request; its delivery is settled once the answer ends.
/// </summary>
internal sealed class FakeLedger(int capacity)
{
    private readonly ConcurrentQueue<FakeLedgerSlot> _slots = new();
    private long _sequence;

    public FakeLedgerSlot Add(Func<long, FakeLedgerEntry> entry)
    {
        var slot = new FakeLedgerSlot(entry(Interlocked.Increment(ref _sequence)));
        _slots.Enqueue(slot);
        while (_slots.Count > capacity && _slots.TryDequeue(out _))
        {
        }

        return slot;
    }

    public FakeLedgerEntry[] Snapshot() => [.. _slots.Select(slot => slot.Entry)];

    public void Clear() => _slots.Clear();
}

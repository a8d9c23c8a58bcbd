namespace Routescope.Fake;

/// <summary>One ledger entry; only its delivery changes, by replacing the immutable record, so readers never see half an update.</summary>
internal sealed class FakeLedgerSlot(FakeLedgerEntry entry)
{
    private volatile FakeLedgerEntry _entry = entry;

    public FakeLedgerEntry Entry => _entry;

    public void Settle(FakeDelivery delivery) => _entry = _entry with { Delivery = delivery };
}

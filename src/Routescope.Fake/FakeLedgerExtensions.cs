namespace Routescope.Fake;

/// <summary>Sums of a ledger for reconciliation: per key, per model, per whatever a test attributes requests by.</summary>
public static class FakeLedgerExtensions
{
    /// <summary>The bills summed per <paramref name="key"/>; filter the entries first to sum only some.</summary>
    public static IReadOnlyDictionary<TKey, FakeBill> BilledBy<TKey>(this IEnumerable<FakeLedgerEntry> entries, Func<FakeLedgerEntry, TKey> key)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(key);
        var sums = new Dictionary<TKey, FakeBill>();
        foreach (var entry in entries)
        {
            var group = key(entry);
            sums[group] = sums.GetValueOrDefault(group, FakeBill.None) + entry.Billed;
        }

        return sums;
    }
}

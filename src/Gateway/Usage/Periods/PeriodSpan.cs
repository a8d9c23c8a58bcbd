namespace Routescope.Gateway.Usage.Periods;

/// <summary>Which months a close through a given month takes, so that months close in order and none is skipped.</summary>
internal static class PeriodSpan
{
    /// <summary>
    /// The months not in <paramref name="closed"/> from the earliest of the first month with records, the month after
    /// the last closed one and <paramref name="lastMonth"/>, through <paramref name="lastMonth"/>, oldest first.
    /// </summary>
    public static IEnumerable<string> ToClose(IEnumerable<string> closed, DateTimeOffset? firstBilled, DateTimeOffset lastMonth)
    {
        var closedSet = closed.ToHashSet(StringComparer.Ordinal);
        var last = BillingMonth.Start(lastMonth);
        var from = last;
        if (firstBilled is { } billed && BillingMonth.Start(billed) < from)
        {
            from = BillingMonth.Start(billed);
        }

        var latest = closedSet.Select(month => BillingMonth.TryParse(month, out var start) ? start : (DateTimeOffset?)null).Max();
        if (latest is { } closedLast && closedLast.AddMonths(1) < from)
        {
            from = closedLast.AddMonths(1);
        }

        for (var month = from; month <= last; month = month.AddMonths(1))
        {
            var name = BillingMonth.Of(month);
            if (!closedSet.Contains(name))
            {
                yield return name;
            }
        }
    }
}

namespace Routescope.Gateway.Usage.Periods;

/// <summary>
/// The one rule that puts a record in a period: its completion time (<see cref="UsageRecord.EndedAt"/>), unless that
/// month was closed when the store kept it. Then it counts as a correction at the first instant of the next month
/// still open, so the closed month's totals stay what they were when it closed.
/// </summary>
internal static class PeriodAttribution
{
    public const string Correction = "correction";

    /// <summary>The record as the store keeps it: its keeping time, billing time and charge class set.</summary>
    public static UsageRecord Attribute(UsageRecord record, IReadOnlyDictionary<string, DateTimeOffset> closedMonths, DateTimeOffset now)
    {
        if (!closedMonths.ContainsKey(BillingMonth.Of(record.EndedAt)))
        {
            return record with { RecordedAt = now, BilledAt = record.EndedAt, ChargeClass = string.Empty };
        }

        var open = BillingMonth.Start(record.EndedAt).AddMonths(1);
        while (closedMonths.ContainsKey(BillingMonth.Of(open)))
        {
            open = open.AddMonths(1);
        }

        return record with { RecordedAt = now, BilledAt = open, ChargeClass = Correction };
    }
}

using System.Globalization;
using System.Runtime.CompilerServices;

using Routescope.Gateway.Usage.Periods;

namespace Routescope.Gateway.Exports;

/// <summary>
/// FOCUS rows of a grouped export: the charges summed per group × served model × kind, kept apart by everything a
/// FOCUS row states once (unit price and SKU price, ratios, currency, cost basis, charge class, billing month), so each
/// row still obeys the product rules and a billing period of its own. Its charge period is the group's period (its
/// day, its month, else the export's range) within its billing month. Memory holds one sum per row, never the records.
/// </summary>
internal static class FocusAggregator
{
    public static async IAsyncEnumerable<FocusCharge> AggregateAsync(
        IAsyncEnumerable<FocusCharge> charges, UsageGrouping grouping, DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var rows = new Dictionary<string, FocusCharge>(StringComparer.Ordinal);
        await foreach (var charge in charges.WithCancellation(cancellationToken))
        {
            var grouped = Dimensions(charge, grouping, from, to);
            var key = Key(grouped);
            rows[key] = rows.TryGetValue(key, out var sum) ? Add(sum, grouped) : grouped;
        }

        foreach (var key in rows.Keys.Order(StringComparer.Ordinal))
        {
            yield return rows[key];
        }
    }

    /// <summary>The charge with the dimensions not grouped by emptied and its period widened to the group's.</summary>
    private static FocusCharge Dimensions(FocusCharge charge, UsageGrouping grouping, DateTimeOffset from, DateTimeOffset to)
    {
        var byKey = grouping.HasFlag(UsageGrouping.Key);
        var byDay = grouping.HasFlag(UsageGrouping.Day);
        var billed = charge.ChargePeriodStart;
        var (start, end) = byDay ? (Day(billed), Day(billed).AddDays(1))
            : grouping.HasFlag(UsageGrouping.Month) ? (charge.BillingPeriodStart, charge.BillingPeriodEnd)
            : (from, to);
        start = start > charge.BillingPeriodStart ? start : charge.BillingPeriodStart;
        end = end < charge.BillingPeriodEnd ? end : charge.BillingPeriodEnd;
        return charge with
        {
            KeyId = byKey ? charge.KeyId : null,
            KeyPrefix = byKey ? charge.KeyPrefix : null,
            KeyName = byKey ? charge.KeyName : null,
            KeyGroup = byKey || grouping.HasFlag(UsageGrouping.Group) ? charge.KeyGroup : null,
            RequestedModel = grouping.HasFlag(UsageGrouping.RequestedModel) ? charge.RequestedModel : null,
            RequestId = null,
            RecordId = null,
            UsageStart = null,
            UsageEnd = null,
            // Whole seconds, still around the charge's own second (a range's bounds may carry fractions).
            ChargePeriodStart = FocusTime.Floor(start),
            ChargePeriodEnd = FocusTime.Ceiling(end),
        };
    }

    private static DateTimeOffset Day(DateTimeOffset time) => new(time.UtcDateTime.Date, TimeSpan.Zero);

    private static string Key(FocusCharge charge) => string.Join('\n',
        charge.KeyGroup ?? string.Empty,
        charge.KeyId ?? string.Empty,
        charge.ServedModel,
        charge.RequestedModel ?? string.Empty,
        BillingMonth.Of(charge.BillingPeriodStart),
        FocusTime.Format(charge.ChargePeriodStart),
        charge.ChargeClass,
        charge.Kind.ToString(),
        charge.ImageSize ?? string.Empty,
        charge.Currency,
        charge.CostBasis,
        Text(charge.ListUnitPrice),
        Text(charge.ChannelRatio),
        Text(charge.GroupRatio));

    // "G29" drops trailing zeros: 0.30 and 0.3 are one price.
    private static string Text(decimal value) => value.ToString("G29", CultureInfo.InvariantCulture);

    private static FocusCharge Add(FocusCharge sum, FocusCharge charge) => sum with
    {
        PricingQuantity = sum.PricingQuantity + charge.PricingQuantity,
        ConsumedQuantity = sum.ConsumedQuantity + charge.ConsumedQuantity,
        ListCost = sum.ListCost + charge.ListCost,
        ContractedCost = sum.ContractedCost + charge.ContractedCost,
        BilledCost = sum.BilledCost + charge.BilledCost,
        ChargebackCost = sum.ChargebackCost + charge.ChargebackCost,
    };
}

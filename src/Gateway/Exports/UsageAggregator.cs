using System.Globalization;
using System.Runtime.CompilerServices;

using Routescope.Gateway.Usage;
using Routescope.Gateway.Usage.Periods;

namespace Routescope.Gateway.Exports;

/// <summary>
/// Groups records by any combination of dimensions, always apart by currency and by the pair of ratios applied, so
/// each row's amounts are of one currency and its upstream cost × group ratio is its chargeback cost. Memory holds one
/// running sum per group (never the records), and the sums are exact (decimal costs summed in .NET).
/// </summary>
internal static class UsageAggregator
{
    private static readonly string[] BasisStrength = [UsageCostBasis.Measured, UsageCostBasis.Estimated, UsageCostBasis.Unmetered, UsageCostBasis.Unpriced];

    /// <summary>The groups of <paramref name="records"/> in <c>[from, to)</c>, ordered by their dimensions.</summary>
    public static async IAsyncEnumerable<UsageAggregate> AggregateAsync(
        IAsyncEnumerable<UsageRecord> records, UsageGrouping grouping, DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var groups = new Dictionary<string, UsageAggregate>(StringComparer.Ordinal);
        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            var key = GroupKey(record, grouping);
            groups[key] = Add(groups.TryGetValue(key, out var sum) ? sum : Start(record, grouping, from, to), record);
        }

        foreach (var key in groups.Keys.Order(StringComparer.Ordinal))
        {
            yield return groups[key];
        }
    }

    /// <summary>The sums of <paramref name="rows"/> per currency: the totals of a summary or a spreadsheet.</summary>
    public static IReadOnlyList<UsageAggregate> Totals(IEnumerable<UsageAggregate> rows, DateTimeOffset from, DateTimeOffset to) =>
        [.. rows.GroupBy(row => row.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(currency => currency.Aggregate(
            new UsageAggregate { PeriodStart = from, PeriodEnd = to, Currency = currency.Key },
            (sum, row) => sum with
            {
                Requests = sum.Requests + row.Requests,
                AbandonedAttempts = sum.AbandonedAttempts + row.AbandonedAttempts,
                Corrections = sum.Corrections + row.Corrections,
                PromptTokens = sum.PromptTokens + row.PromptTokens,
                CachedContentTokens = sum.CachedContentTokens + row.CachedContentTokens,
                ToolUsePromptTokens = sum.ToolUsePromptTokens + row.ToolUsePromptTokens,
                CandidatesTokens = sum.CandidatesTokens + row.CandidatesTokens,
                ThoughtsTokens = sum.ThoughtsTokens + row.ThoughtsTokens,
                OutputTextTokens = sum.OutputTextTokens + row.OutputTextTokens,
                OutputImageTokens = sum.OutputImageTokens + row.OutputImageTokens,
                TotalTokens = sum.TotalTokens + row.TotalTokens,
                Images = sum.Images + row.Images,
                Refusals = sum.Refusals + row.Refusals,
                UnpricedRecords = sum.UnpricedRecords + row.UnpricedRecords,
                UpstreamCost = sum.UpstreamCost + row.UpstreamCost,
                UpstreamMeasuredCost = sum.UpstreamMeasuredCost + row.UpstreamMeasuredCost,
                UpstreamEstimatedCost = sum.UpstreamEstimatedCost + row.UpstreamEstimatedCost,
                ChargebackCost = sum.ChargebackCost + row.ChargebackCost,
                ChargebackMeasuredCost = sum.ChargebackMeasuredCost + row.ChargebackMeasuredCost,
                ChargebackEstimatedCost = sum.ChargebackEstimatedCost + row.ChargebackEstimatedCost,
                CostBasis = Weaker(sum.CostBasis, row.CostBasis),
            }))];

    public static string Day(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The time a record counts at in every grouping: its billing time (records read before it was set: their end).</summary>
    public static DateTimeOffset BilledAt(UsageRecord record) => record.BilledAt ?? record.EndedAt;

    private static string GroupKey(UsageRecord record, UsageGrouping grouping)
    {
        var billed = BilledAt(record);
        return string.Join('\n',
            grouping.HasFlag(UsageGrouping.Group) || grouping.HasFlag(UsageGrouping.Key) ? record.KeyGroup : string.Empty,
            grouping.HasFlag(UsageGrouping.Key) ? record.KeyId : string.Empty,
            grouping.HasFlag(UsageGrouping.Model) ? record.ServedModel : string.Empty,
            grouping.HasFlag(UsageGrouping.RequestedModel) ? record.RequestedModel : string.Empty,
            grouping.HasFlag(UsageGrouping.Day) ? Day(billed) : grouping.HasFlag(UsageGrouping.Month) ? BillingMonth.Of(billed) : string.Empty,
            record.Currency,
            record.ChannelRatio.ToString(CultureInfo.InvariantCulture),
            record.GroupRatio.ToString(CultureInfo.InvariantCulture));
    }

    private static UsageAggregate Start(UsageRecord record, UsageGrouping grouping, DateTimeOffset from, DateTimeOffset to)
    {
        var billed = BilledAt(record);
        var byKey = grouping.HasFlag(UsageGrouping.Key);
        var byDay = grouping.HasFlag(UsageGrouping.Day);
        var byMonth = byDay || grouping.HasFlag(UsageGrouping.Month);
        var (start, end) = byDay ? (billed.UtcDateTime.Date, billed.UtcDateTime.Date.AddDays(1))
            : byMonth ? (BillingMonth.Start(billed).UtcDateTime, BillingMonth.Start(billed).UtcDateTime.AddMonths(1))
            : (from.UtcDateTime, to.UtcDateTime);
        return new UsageAggregate
        {
            KeyId = byKey ? record.KeyId : null,
            KeyPrefix = byKey ? record.KeyPrefix : null,
            KeyName = byKey ? record.KeyName : null,
            KeyGroup = byKey || grouping.HasFlag(UsageGrouping.Group) ? record.KeyGroup : null,
            Model = grouping.HasFlag(UsageGrouping.Model) ? record.ServedModel : null,
            RequestedModel = grouping.HasFlag(UsageGrouping.RequestedModel) ? record.RequestedModel : null,
            Day = byDay ? Day(billed) : null,
            Month = byMonth ? BillingMonth.Of(billed) : null,
            PeriodStart = Later(new DateTimeOffset(start, TimeSpan.Zero), from),
            PeriodEnd = Earlier(new DateTimeOffset(end, TimeSpan.Zero), to),
            Currency = record.Currency,
            ChannelRatio = record.ChannelRatio,
            GroupRatio = record.GroupRatio,
        };
    }

    private static UsageAggregate Add(UsageAggregate sum, UsageRecord record)
    {
        var measured = record.CostBasis == UsageCostBasis.Measured;
        var abandoned = record.Outcome == UsageOutcome.Abandoned;
        var upstream = record.UpstreamCost ?? 0;
        var chargeback = record.ChargebackCost ?? 0;
        return sum with
        {
            Requests = sum.Requests + (abandoned ? 0 : 1),
            AbandonedAttempts = sum.AbandonedAttempts + (abandoned ? 1 : 0),
            Corrections = sum.Corrections + (record.ChargeClass == PeriodAttribution.Correction ? 1 : 0),
            PromptTokens = sum.PromptTokens + record.PromptTokens,
            CachedContentTokens = sum.CachedContentTokens + record.CachedContentTokens,
            ToolUsePromptTokens = sum.ToolUsePromptTokens + record.ToolUsePromptTokens,
            CandidatesTokens = sum.CandidatesTokens + record.CandidatesTokens,
            ThoughtsTokens = sum.ThoughtsTokens + record.ThoughtsTokens,
            OutputTextTokens = sum.OutputTextTokens + record.OutputTextTokens,
            OutputImageTokens = sum.OutputImageTokens + record.OutputImageTokens,
            TotalTokens = sum.TotalTokens + record.TotalTokens,
            Images = sum.Images + record.Images,
            Refusals = sum.Refusals + (HasFlag(record, UsageFlags.Refusal) ? 1 : 0),
            UnpricedRecords = sum.UnpricedRecords + (record.UpstreamCost is null ? 1 : 0),
            UpstreamCost = sum.UpstreamCost + upstream,
            UpstreamMeasuredCost = sum.UpstreamMeasuredCost + (measured ? upstream : 0),
            UpstreamEstimatedCost = sum.UpstreamEstimatedCost + (measured ? 0 : upstream),
            ChargebackCost = sum.ChargebackCost + chargeback,
            ChargebackMeasuredCost = sum.ChargebackMeasuredCost + (measured ? chargeback : 0),
            ChargebackEstimatedCost = sum.ChargebackEstimatedCost + (measured ? 0 : chargeback),
            CostBasis = Weaker(sum.CostBasis, record.CostBasis),
        };
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Earlier(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static bool HasFlag(UsageRecord record, string flag) =>
        record.Flags.Length > 0 && record.Flags.Split(',').Contains(flag, StringComparer.Ordinal);

    private static string Weaker(string a, string b) => Array.IndexOf(BasisStrength, b) > Array.IndexOf(BasisStrength, a) ? b : a;
}

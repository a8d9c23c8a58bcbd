using System.Globalization;
using System.Runtime.CompilerServices;

namespace Routescope.Gateway.Usage;

/// <summary>
/// Groups records that arrive ordered by the grouping's key, one group at a time: memory stays constant however many
/// rows a month holds, and the sums are exact (decimal cost summed in .NET, not as floating point in SQL).
/// </summary>
internal static class UsageAggregator
{
    private static readonly string[] BasisStrength = [UsageCostBasis.Measured, UsageCostBasis.Estimated, UsageCostBasis.Unmetered, UsageCostBasis.Unpriced];

    public static async IAsyncEnumerable<UsageAggregate> AggregateAsync(
        IAsyncEnumerable<UsageRecord> ordered, UsageGrouping grouping, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        UsageAggregate? current = null;
        string? currentKey = null;
        await foreach (var record in ordered.WithCancellation(cancellationToken))
        {
            var key = GroupKey(record, grouping);
            if (current is not null && key != currentKey)
            {
                yield return current;
                current = null;
            }

            currentKey = key;
            current = Add(current ?? Start(record, grouping), record);
        }

        if (current is not null)
        {
            yield return current;
        }
    }

    public static string Day(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string GroupKey(UsageRecord record, UsageGrouping grouping) =>
        record.KeyId + "\n" + (grouping.HasFlag(UsageGrouping.Model) ? record.ServedModel : string.Empty) + "\n" + (grouping.HasFlag(UsageGrouping.Day) ? Day(record.StartedAt) : string.Empty);

    private static UsageAggregate Start(UsageRecord record, UsageGrouping grouping) => new()
    {
        KeyId = record.KeyId,
        KeyPrefix = record.KeyPrefix,
        KeyName = record.KeyName,
        KeyGroup = record.KeyGroup,
        Model = grouping.HasFlag(UsageGrouping.Model) ? record.ServedModel : null,
        Day = grouping.HasFlag(UsageGrouping.Day) ? Day(record.StartedAt) : null,
        Currency = record.Currency,
    };

    private static UsageAggregate Add(UsageAggregate sum, UsageRecord record)
    {
        var measured = record.CostBasis == UsageCostBasis.Measured;
        var abandoned = record.Outcome == UsageOutcome.Abandoned;
        return sum with
        {
            Requests = sum.Requests + (abandoned ? 0 : 1),
            AbandonedAttempts = sum.AbandonedAttempts + (abandoned ? 1 : 0),
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
            UnpricedRecords = sum.UnpricedRecords + (record.Cost is null ? 1 : 0),
            Cost = sum.Cost + (record.Cost ?? 0),
            MeasuredCost = sum.MeasuredCost + (measured ? record.Cost ?? 0 : 0),
            EstimatedCost = sum.EstimatedCost + (measured ? 0 : record.Cost ?? 0),
            CostBasis = Weaker(sum.CostBasis, record.CostBasis),
        };
    }

    private static bool HasFlag(UsageRecord record, string flag) =>
        record.Flags.Length > 0 && record.Flags.Split(',').Contains(flag, StringComparer.Ordinal);

    private static string Weaker(string a, string b) => Array.IndexOf(BasisStrength, b) > Array.IndexOf(BasisStrength, a) ? b : a;
}

using Routescope.Gateway.Billing;

namespace Routescope.Gateway.Usage;

/// <summary>
/// A record's costs from its own stored prices, ratios and counts: the same formula that priced it
/// (<see cref="CostCalculator.UpstreamCost"/>), so finance, tests and upgrades can recompute any figure by hand.
/// </summary>
internal static class UsageRecordCosts
{
    /// <summary>The prices the record was billed at; null for a record of a model without prices.</summary>
    public static AppliedPrices? Prices(UsageRecord record)
    {
        if (record.InputPerMillion is null && record.CachedInputPerMillion is null && record.OutputTextPerMillion is null
            && record.OutputImagePerMillion is null && record.PerImagePrice is null)
        {
            return null;
        }

        var input = record.InputPerMillion ?? 0;
        return new AppliedPrices(input, record.CachedInputPerMillion ?? input, record.OutputTextPerMillion ?? 0, record.OutputImagePerMillion ?? 0, record.PerImagePrice);
    }

    public static BillableUsage Usage(UsageRecord record) => new()
    {
        PromptTokens = record.PromptTokens,
        CachedTokens = record.CachedContentTokens,
        ToolUsePromptTokens = record.ToolUsePromptTokens,
        OutputTextTokens = record.OutputTextTokens,
        ThoughtsTokens = record.ThoughtsTokens,
        OutputImageTokens = record.OutputImageTokens,
        Images = record.Images,
        ImageSize = record.ImageSize,
    };

    /// <summary>The upstream cost recomputed from the record; null for a record without prices.</summary>
    public static decimal? Upstream(UsageRecord record) =>
        Prices(record) is { } prices ? CostCalculator.UpstreamCost(prices, Usage(record), record.ChannelRatio) : null;

    /// <summary>
    /// A record written before the upstream cost was stored (its one cost was the chargeback cost) with the upstream
    /// cost it implies: the chargeback cost ÷ the group ratio, exact in decimal since it was the product; recomputed
    /// from the prices when the ratio was 0. Any other record is returned as it is.
    /// </summary>
    public static UsageRecord Complete(UsageRecord record) => record.UpstreamCost is null && record.ChargebackCost is { } chargeback
        ? record with { UpstreamCost = UpstreamFromChargeback(chargeback, record.GroupRatio) ?? Upstream(record) }
        : record;

    /// <summary>The upstream cost behind a chargeback cost, or null when the ratio was 0 and the cost says nothing of it.</summary>
    public static decimal? UpstreamFromChargeback(decimal chargeback, decimal groupRatio) => groupRatio == 0 ? null : chargeback / groupRatio;
}

using Routescope.Gateway.Catalog;

namespace Routescope.Gateway.Billing;

/// <summary>
/// Upstream cost = (uncached prompt × input + tool-use prompt × input + cached prompt × cached input + (text output +
/// thinking) × text output + image output × image output) / 10^6 × channel ratio, in <see cref="decimal"/>: what the
/// relay bills. A model billed per image pays images × its per-image price for the size instead of the image-token
/// price. Chargeback cost = upstream cost × group ratio: what the key's team is charged. The served model's prices
/// apply; a model without prices has no cost, never a cost of 0.
/// </summary>
internal static class CostCalculator
{
    private const decimal Million = 1_000_000m;

    public static Charge Charge(ModelPrices? prices, BillableUsage usage, decimal channelRatio, decimal groupRatio)
    {
        if (prices is null)
        {
            return new Charge { ChannelRatio = channelRatio, GroupRatio = groupRatio };
        }

        var input = prices.InputPerMillion ?? 0;
        var applied = new AppliedPrices(
            input,
            prices.CachedInputPerMillion ?? input,
            prices.OutputTextPerMillion ?? 0,
            prices.OutputImagePerMillion ?? 0,
            prices.PerImage.Count > 0 && ImageSizeTable.TryFind(prices.PerImage, usage.ImageSize, out var price) ? price : null);
        var upstream = UpstreamCost(applied, usage, channelRatio);
        return new Charge
        {
            InputPerMillion = prices.InputPerMillion,
            CachedInputPerMillion = applied.CachedInput,
            OutputTextPerMillion = prices.OutputTextPerMillion,
            OutputImagePerMillion = prices.OutputImagePerMillion,
            PerImage = applied.PerImage,
            ChannelRatio = channelRatio,
            GroupRatio = groupRatio,
            UpstreamCost = upstream,
            ChargebackCost = upstream * groupRatio,
        };
    }

    /// <summary>The relay's charge for <paramref name="usage"/> at <paramref name="prices"/>: the one formula records are priced and re-priced by.</summary>
    public static decimal UpstreamCost(AppliedPrices prices, BillableUsage usage, decimal channelRatio)
    {
        // cachedContentTokenCount is part of promptTokenCount; a count above it is the upstream's error, not a refund.
        var cached = Math.Min(usage.CachedTokens, usage.PromptTokens);
        var tokens = ((usage.PromptTokens - cached + usage.ToolUsePromptTokens) * prices.Input)
            + (cached * prices.CachedInput)
            + ((usage.OutputTextTokens + usage.ThoughtsTokens) * prices.OutputText)
            + (prices.PerImage is null ? usage.OutputImageTokens * prices.OutputImage : 0);
        return ((tokens / Million) + (usage.Images * (prices.PerImage ?? 0))) * channelRatio;
    }
}

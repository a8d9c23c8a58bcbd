using Routescope.Gateway.Catalog;

namespace Routescope.Gateway.Billing;

/// <summary>
/// Cost = (uncached prompt × input + tool-use prompt × input + cached prompt × cached input + (text output + thinking)
/// × text output + image output × image output) / 10^6, × channel ratio × group ratio, in <see cref="decimal"/>. A
/// model billed per image pays images × its per-image price for the size instead of the image-token price. The served
/// model's prices apply; a model without prices has no cost, never a cost of 0.
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
        var cachedInput = prices.CachedInputPerMillion ?? input;
        var text = prices.OutputTextPerMillion ?? 0;
        var image = prices.OutputImagePerMillion ?? 0;
        decimal? perImage = prices.PerImage.Count > 0 && ImageSizeTable.TryFind(prices.PerImage, usage.ImageSize, out var price) ? price : null;

        // cachedContentTokenCount is part of promptTokenCount; a count above it is the upstream's error, not a refund.
        var cached = Math.Min(usage.CachedTokens, usage.PromptTokens);
        var tokens = ((usage.PromptTokens - cached + usage.ToolUsePromptTokens) * input)
            + (cached * cachedInput)
            + ((usage.OutputTextTokens + usage.ThoughtsTokens) * text)
            + (perImage is null ? usage.OutputImageTokens * image : 0);
        var cost = (tokens / Million) + (usage.Images * (perImage ?? 0));

        return new Charge
        {
            InputPerMillion = prices.InputPerMillion,
            CachedInputPerMillion = cachedInput,
            OutputTextPerMillion = prices.OutputTextPerMillion,
            OutputImagePerMillion = prices.OutputImagePerMillion,
            PerImage = perImage,
            ChannelRatio = channelRatio,
            GroupRatio = groupRatio,
            Cost = cost * channelRatio * groupRatio,
        };
    }
}

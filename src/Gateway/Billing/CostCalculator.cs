using Routescope.Gateway.Catalog;
using Routescope.Gateway.Gemini;

namespace Routescope.Gateway.Billing;

/// <summary>
/// Cost = (prompt × input price + (text output + thinking) × text price + image output × image price) / 10^6
/// (+ images × per-image price) × channel ratio × group ratio, in <see cref="decimal"/>. The served model's prices apply.
/// </summary>
internal static class CostCalculator
{
    private const decimal Million = 1_000_000m;

    public static Charge Charge(ModelPrices? prices, TokenCounts? usage, int images, decimal channelRatio, decimal groupRatio)
    {
        if (prices is null)
        {
            return Billing.Charge.Free with { ChannelRatio = channelRatio, GroupRatio = groupRatio };
        }

        decimal cost = 0;
        if (usage is not null)
        {
            cost = ((usage.PromptTokens * prices.InputPerMillion)
                + ((usage.OutputTextTokens + usage.ThoughtsTokens) * prices.OutputTextPerMillion)
                + (usage.OutputImageTokens * prices.OutputImagePerMillion)) / Million;
        }

        if (prices.PerImage is { } perImage)
        {
            cost += images * perImage;
        }

        return new Charge
        {
            InputPerMillion = prices.InputPerMillion,
            OutputTextPerMillion = prices.OutputTextPerMillion,
            OutputImagePerMillion = prices.OutputImagePerMillion,
            PerImage = prices.PerImage,
            ChannelRatio = channelRatio,
            GroupRatio = groupRatio,
            Cost = cost * channelRatio * groupRatio,
        };
    }
}

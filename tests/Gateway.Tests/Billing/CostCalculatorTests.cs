using Routescope.Gateway.Billing;
using Routescope.Gateway.Catalog;
using Routescope.Gateway.Gemini;

namespace Routescope.Gateway.Tests.Billing;

public sealed class CostCalculatorTests
{
    private static readonly ModelPrices Flash25 = new() { InputPerMillion = 0.30m, OutputTextPerMillion = 2.50m, OutputImagePerMillion = 30m };

    [Fact]
    public void One_image_of_gemini_2_5_flash_image_costs_what_the_published_prices_say()
    {
        var usage = new TokenCounts
        {
            PromptTokens = 12,
            CandidatesTokens = 1298,
            ThoughtsTokens = 8,
            TotalTokens = 1318,
            CandidatesByModality = new Dictionary<string, long> { ["IMAGE"] = 1290 },
        };

        var charge = CostCalculator.Charge(Flash25, usage, images: 1, channelRatio: 1m, groupRatio: 1m);

        // (12 × 0.30 + (8 text + 8 thinking) × 2.50 + 1290 × 30) / 10^6
        Assert.Equal(((12 * 0.30m) + (16 * 2.50m) + (1290 * 30m)) / 1_000_000m, charge.Cost);
        Assert.Equal(0.0387436m, charge.Cost);
    }

    [Fact]
    public void Channel_and_group_ratios_multiply_and_are_kept_with_the_prices()
    {
        var usage = new TokenCounts { PromptTokens = 1_000_000, CandidatesTokens = 0 };

        var charge = CostCalculator.Charge(Flash25, usage, images: 0, channelRatio: 1.2m, groupRatio: 0.5m);

        Assert.Equal(0.30m * 1.2m * 0.5m, charge.Cost);
        Assert.Equal((0.30m, 2.50m, 30m, 1.2m, 0.5m), (charge.InputPerMillion, charge.OutputTextPerMillion, charge.OutputImagePerMillion, charge.ChannelRatio, charge.GroupRatio));
    }

    [Fact]
    public void A_per_image_price_is_added_for_channels_that_bill_per_image()
    {
        var perImage = new ModelPrices { InputPerMillion = 0, OutputTextPerMillion = 0, OutputImagePerMillion = 0, PerImage = 0.039m };

        Assert.Equal(0.078m, CostCalculator.Charge(perImage, null, images: 2, channelRatio: 1m, groupRatio: 1m).Cost);
    }

    [Fact]
    public void Models_without_prices_cost_nothing_but_keep_their_ratios()
    {
        var charge = CostCalculator.Charge(null, new TokenCounts { PromptTokens = 500 }, 0, 1.5m, 2m);

        Assert.Equal(0m, charge.Cost);
        Assert.Equal(1.5m, charge.ChannelRatio);
    }
}

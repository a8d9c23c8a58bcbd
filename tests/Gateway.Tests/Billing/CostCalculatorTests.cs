using Routescope.Gateway.Billing;
using Routescope.Gateway.Catalog;

namespace Routescope.Gateway.Tests.Billing;

public sealed class CostCalculatorTests
{
    private static readonly ModelPrices Flash25 = new() { InputPerMillion = 0.30m, CachedInputPerMillion = 0.03m, OutputTextPerMillion = 2.50m, OutputImagePerMillion = 30m };

    [Fact]
    public void One_image_of_gemini_2_5_flash_image_costs_what_the_published_prices_say()
    {
        var usage = new BillableUsage { PromptTokens = 12, OutputTextTokens = 8, ThoughtsTokens = 8, OutputImageTokens = 1290, Images = 1 };

        var charge = CostCalculator.Charge(Flash25, usage, channelRatio: 1m, groupRatio: 1m);

        // (12 × 0.30 + (8 text + 8 thinking) × 2.50 + 1290 × 30) / 10^6
        Assert.Equal(((12 * 0.30m) + (16 * 2.50m) + (1290 * 30m)) / 1_000_000m, charge.ChargebackCost);
        Assert.Equal(0.0387436m, charge.ChargebackCost);
    }

    [Fact]
    public void Cached_prompt_tokens_go_at_the_cached_price_and_tool_use_prompt_tokens_at_the_input_price()
    {
        // 1000 prompt tokens of which 600 from cache, 200 tool-use prompt tokens on top.
        var usage = new BillableUsage { PromptTokens = 1000, CachedTokens = 600, ToolUsePromptTokens = 200 };

        var charge = CostCalculator.Charge(Flash25, usage, 1m, 1m);

        Assert.Equal(((400 + 200) * 0.30m + (600 * 0.03m)) / 1_000_000m, charge.ChargebackCost);
        Assert.Equal(0.03m, charge.CachedInputPerMillion);
    }

    [Fact]
    public void Without_a_cached_price_cached_tokens_go_at_the_input_price()
    {
        var prices = new ModelPrices { InputPerMillion = 1m, OutputTextPerMillion = 1m };

        var charge = CostCalculator.Charge(prices, new BillableUsage { PromptTokens = 1_000_000, CachedTokens = 500_000 }, 1m, 1m);

        Assert.Equal(1m, charge.ChargebackCost);
        Assert.Equal(1m, charge.CachedInputPerMillion);
    }

    [Fact]
    public void Channel_and_group_ratios_multiply_and_are_kept_with_the_prices()
    {
        var charge = CostCalculator.Charge(Flash25, new BillableUsage { PromptTokens = 1_000_000 }, channelRatio: 1.2m, groupRatio: 0.5m);

        Assert.Equal(0.30m * 1.2m * 0.5m, charge.ChargebackCost);
        Assert.Equal((0.30m, 2.50m, 30m, 1.2m, 0.5m), (charge.InputPerMillion, charge.OutputTextPerMillion, charge.OutputImagePerMillion, charge.ChannelRatio, charge.GroupRatio));
    }

    [Theory]
    [InlineData("1K", 0.134)]
    [InlineData("4K", 0.24)]
    [InlineData(null, 0.134)]
    public void A_per_image_price_by_size_replaces_the_image_token_price(string? size, double each)
    {
        var prices = new ModelPrices
        {
            InputPerMillion = 2m,
            OutputTextPerMillion = 12m,
            OutputImagePerMillion = 120m,
            PerImage = new() { ["1K"] = 0.134m, ["4K"] = 0.24m, [ImageSizeTable.DefaultKey] = 0.134m },
        };
        var usage = new BillableUsage { PromptTokens = 100, OutputTextTokens = 10, OutputImageTokens = 2240, Images = 2, ImageSize = size };

        var charge = CostCalculator.Charge(prices, usage, 1m, 1m);

        // The image tokens are not priced as tokens as well: the images are billed once, per image.
        Assert.Equal(((100 * 2m) + (10 * 12m)) / 1_000_000m + (2 * (decimal)each), charge.ChargebackCost);
        Assert.Equal((decimal)each, charge.PerImage);
    }

    [Fact]
    public void Models_without_prices_have_no_cost_not_a_cost_of_zero_but_keep_their_ratios()
    {
        var charge = CostCalculator.Charge(null, new BillableUsage { PromptTokens = 500 }, 1.5m, 2m);

        Assert.Null(charge.ChargebackCost);
        Assert.Null(charge.InputPerMillion);
        Assert.Equal(1.5m, charge.ChannelRatio);
    }
}

namespace Routescope.Gateway.Usage;

/// <summary>The FinOps FOCUS columns that apply to gateway usage, one row per record or per group.</summary>
internal sealed record FocusRow
{
    /// <summary>Empty for a model without a price (FOCUS wants a number; finance must price such rows, not read 0).</summary>
    public required decimal? BilledCost { get; init; }

    public required decimal? EffectiveCost { get; init; }
    public required string BillingCurrency { get; init; }
    public required DateTimeOffset ChargePeriodStart { get; init; }
    public required DateTimeOffset ChargePeriodEnd { get; init; }
    public string ChargeCategory { get; init; } = "Usage";
    public string ProviderName { get; init; } = "Routescope";
    public string ServiceName { get; init; } = "Routescope Gemini API";
    public required string SkuId { get; init; }
    public required long ConsumedQuantity { get; init; }
    public string ConsumedUnit { get; init; } = "Tokens";
    public required string Tags { get; init; }

    /// <summary>FOCUS custom column <c>x_CostBasis</c>: what the cost rests on (see <see cref="UsageCostBasis"/>).</summary>
    public required string CostBasis { get; init; }
}

namespace Routescope.Gateway.Billing;

/// <summary>Prices and ratios applied to one answer and the resulting cost, all stored so a figure can be recomputed by hand.</summary>
internal sealed record Charge
{
    /// <summary>Null for a model without prices, as are the other prices and the cost: unknown, not free.</summary>
    public decimal? InputPerMillion { get; init; }

    /// <summary>The price cached prompt tokens were billed at (the input price when the model has no cached price).</summary>
    public decimal? CachedInputPerMillion { get; init; }

    public decimal? OutputTextPerMillion { get; init; }
    public decimal? OutputImagePerMillion { get; init; }

    /// <summary>The per-image price for the answer's image size, when the model is billed per image.</summary>
    public decimal? PerImage { get; init; }

    public required decimal ChannelRatio { get; init; }
    public required decimal GroupRatio { get; init; }
    /// <summary>What the relay bills: prices × channel ratio.</summary>
    public decimal? UpstreamCost { get; init; }

    /// <summary>What the key's team is charged: <see cref="UpstreamCost"/> × group ratio.</summary>
    public decimal? ChargebackCost { get; init; }
}

namespace Routescope.Gateway.Billing;

/// <summary>Prices and ratios applied to one request and the resulting cost, all stored so a figure can be recomputed by hand.</summary>
internal sealed record Charge
{
    public required decimal InputPerMillion { get; init; }
    public required decimal OutputTextPerMillion { get; init; }
    public required decimal OutputImagePerMillion { get; init; }
    public decimal? PerImage { get; init; }
    public required decimal ChannelRatio { get; init; }
    public required decimal GroupRatio { get; init; }
    public required decimal Cost { get; init; }

    public static readonly Charge Free = new()
    {
        InputPerMillion = 0,
        OutputTextPerMillion = 0,
        OutputImagePerMillion = 0,
        ChannelRatio = 1,
        GroupRatio = 1,
        Cost = 0,
    };
}

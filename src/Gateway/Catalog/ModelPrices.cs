namespace Routescope.Gateway.Catalog;

/// <summary>USD per million tokens, as the upstream bills them; <see cref="PerImage"/> for channels billing per image.</summary>
internal sealed class ModelPrices
{
    public decimal InputPerMillion { get; set; }
    public decimal OutputTextPerMillion { get; set; }
    public decimal OutputImagePerMillion { get; set; }
    public decimal? PerImage { get; set; }
}

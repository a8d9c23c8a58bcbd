namespace Routescope.Gateway.Catalog;

/// <summary>
/// What the upstream bills for one model, in the billing currency: per million tokens of each kind, or per image by
/// <c>imageSize</c>. Every amount is nullable so that a missing one stops the start instead of silently pricing at 0.
/// </summary>
internal sealed class ModelPrices
{
    /// <summary>Prompt tokens not served from cache, and tool-use prompt tokens.</summary>
    public decimal? InputPerMillion { get; set; }

    /// <summary>Prompt tokens served from the context cache (<c>cachedContentTokenCount</c>); the input price when unset.</summary>
    public decimal? CachedInputPerMillion { get; set; }

    /// <summary>Text output and thinking tokens.</summary>
    public decimal? OutputTextPerMillion { get; set; }

    /// <summary>Image output tokens; unused when <see cref="PerImage"/> is set.</summary>
    public decimal? OutputImagePerMillion { get; set; }

    /// <summary>
    /// A price per final image by <c>imageSize</c> (<see cref="ImageSizeTable.DefaultKey"/> for a request without one),
    /// for channels that bill per image: it replaces the image-token price of the model.
    /// </summary>
    public Dictionary<string, decimal> PerImage { get; set; } = new(StringComparer.Ordinal);
}

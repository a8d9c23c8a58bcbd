using Routescope.Gateway.Catalog;
using Routescope.Gateway.Gemini;

namespace Routescope.Gateway.Billing;

/// <summary>
/// What an answer the gateway never saw in full most likely cost: the prompt from the request's size, the images from
/// the catalog's tokens per image. Every figure it gives is recorded as an estimate.
/// </summary>
internal static class UsageEstimator
{
    /// <summary>Bytes of prompt per token: Gemini's own rule of thumb of about four characters per token.</summary>
    private const long BytesPerToken = 4;

    /// <summary>Tokens of one inline input image at Gemini's default media resolution.</summary>
    private const long InputImageTokens = 258;

    /// <summary>The prompt tokens of a request: its text by size, each inline image at a fixed count (not by its base64 size).</summary>
    public static long PromptTokens(long bodyBytes, RequestShape? shape)
    {
        // The totals, not the kept images: the shape keeps only the first few of a request with many.
        var base64 = ((shape?.InlineImageBytes ?? 0) + 2) / 3 * 4;
        var text = Math.Max(0, bodyBytes - base64);
        return ((text + BytesPerToken - 1) / BytesPerToken) + ((shape?.InlineImageCount ?? 0) * InputImageTokens);
    }

    /// <summary>The output tokens of one image at this size; 0 for a model that makes none.</summary>
    public static long TokensPerImage(ModelOptions? model, string? imageSize) =>
        model is { GeneratesImages: true } && ImageSizeTable.TryFind(model.ImageTokens, imageSize, out var tokens) ? tokens : 0;
}

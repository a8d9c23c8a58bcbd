namespace Routescope.Gateway.Catalog;

/// <summary>What one model accepts, as configured under <c>Models:Catalog:{model}</c>.</summary>
internal sealed class ModelOptions
{
    /// <summary>Image models need a text part (the prompt) and answer with images.</summary>
    public bool GeneratesImages { get; set; }

    /// <summary>Accepted <c>imageConfig.aspectRatio</c> values; empty means the model takes none.</summary>
    public List<string> AspectRatios { get; set; } = [];

    public string? DefaultAspectRatio { get; set; }

    /// <summary>Accepted <c>imageConfig.imageSize</c> values; empty means <c>imageSize</c> is refused.</summary>
    public List<string> ImageSizes { get; set; } = [];

    public string? DefaultImageSize { get; set; }

    /// <summary>Accepted <c>responseModalities</c> values.</summary>
    public List<string> ResponseModalities { get; set; } = [];

    /// <summary>A modality every <c>responseModalities</c> list must contain (IMAGE for image-only models).</summary>
    public string? RequiredModality { get; set; }

    /// <summary>Accepted MIME types of inline data parts.</summary>
    public List<string> InlineMimeTypes { get; set; } = [];

    public int MaxCandidateCount { get; set; } = 1;

    public int MaxInlineImages { get; set; } = 3;

    /// <summary>Largest decoded inline image.</summary>
    public long MaxImageBytes { get; set; } = 7 * 1024 * 1024;

    /// <summary>Largest sum of decoded inline images in one request.</summary>
    public long MaxTotalImageBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>Largest request body for this model (never above <c>Limits:MaxRequestBytes</c>).</summary>
    public long? MaxRequestBytes { get; set; }

    /// <summary>Models to try, in order, when this one fails before answering.</summary>
    public List<string> Fallback { get; set; } = [];

    /// <summary>
    /// The most output tokens (text and thinking) the model generates when the request sets no
    /// <c>maxOutputTokens</c>: what a budget reserves for a request's text output.
    /// </summary>
    public long MaxOutputTokens { get; set; } = 32_768;

    /// <summary>Required: a model without prices would be served for free.</summary>
    public ModelPrices? Prices { get; set; }

    /// <summary>
    /// Output tokens of one image by <c>imageSize</c> (<see cref="ImageSizeTable.DefaultKey"/> when the model takes no
    /// size): what the upstream bills per image, used when an answer returned images without reporting their tokens and
    /// to estimate the cost of work the upstream did but never reported.
    /// </summary>
    public Dictionary<string, long> ImageTokens { get; set; } = new(StringComparer.Ordinal);
}

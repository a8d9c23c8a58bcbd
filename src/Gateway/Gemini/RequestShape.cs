using Routescope.Gateway.Errors;

namespace Routescope.Gateway.Gemini;

/// <summary>
/// The few facts validation needs from a generateContent body, read in one streaming pass. Values keep the JSON path
/// the client used (camelCase or snake_case) so messages name the field as the client wrote it.
/// </summary>
internal sealed record RequestShape
{
    /// <summary>Problems found while reading: malformed JSON, wrong types, duplicate fields, bad base64.</summary>
    public required IReadOnlyList<FieldViolation> ReadProblems { get; init; }

    /// <summary>Number of <c>contents</c> entries; null when the field is absent.</summary>
    public int? ContentsCount { get; init; }

    /// <summary>Per content: the path of its parts and how many there are (null when absent).</summary>
    public IReadOnlyList<ShapeField<int?>> Parts { get; init; } = [];

    /// <summary>Non-empty text parts in <c>contents</c>.</summary>
    public int TextParts { get; init; }

    public IReadOnlyList<InlineImage> InlineImages { get; init; } = [];

    public ShapeField<IReadOnlyList<string>>? ResponseModalities { get; init; }
    public ShapeField<string>? AspectRatio { get; init; }
    public ShapeField<string>? ImageSize { get; init; }
    public ShapeField<long>? CandidateCount { get; init; }

    /// <summary><c>generationConfig.maxOutputTokens</c>: the most output the upstream may generate (and bill).</summary>
    public ShapeField<long>? MaxOutputTokens { get; init; }

    /// <summary>Where the <c>aspectRatio</c> string token (quotes included) lies, for adapting it in place.</summary>
    public BodyRange? AspectRatioToken { get; init; }

    /// <summary>The bytes to cut to remove <c>imageSize</c> (with one adjoining comma), for adapting in place.</summary>
    public BodyRange? ImageSizeProperty { get; init; }
}

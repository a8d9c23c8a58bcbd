using Routescope.Gateway.Errors;

namespace Routescope.Gateway.Gemini;

/// <summary>
/// The few facts validation needs from a generateContent body, read in one streaming pass. Values keep the JSON path
/// the client used (camelCase or snake_case) so messages name the field as the client wrote it.
/// </summary>
internal sealed record RequestShape
{
    /// <summary>
    /// Problems found while reading: malformed JSON, invalid UTF-8, wrong types, duplicate fields, missing parts, bad
    /// base64, image bytes that contradict their MIME type. At most <see cref="BoundedViolations.MaxReported"/>.
    /// </summary>
    public required IReadOnlyList<FieldViolation> ReadProblems { get; init; }

    /// <summary>Problems found beyond <see cref="ReadProblems"/>, only counted.</summary>
    public int OmittedReadProblems { get; init; }

    /// <summary>Number of <c>contents</c> entries; null when the field is absent.</summary>
    public int? ContentsCount { get; init; }

    /// <summary>Non-empty text parts in <c>contents</c>.</summary>
    public int TextParts { get; init; }

    /// <summary>
    /// The first inline data parts, as many as the reader was asked to keep (enough for the model that accepts the
    /// most); <see cref="InlineImageCount"/> and <see cref="InlineImageBytes"/> cover all of them.
    /// </summary>
    public IReadOnlyList<InlineImage> InlineImages { get; init; } = [];

    /// <summary>Inline data parts in <c>contents</c>, kept or not.</summary>
    public int InlineImageCount { get; init; }

    /// <summary>Decoded bytes of all inline data parts.</summary>
    public long InlineImageBytes { get; init; }

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

namespace Routescope.Fake;

/// <summary>What the steering headers (<see cref="FakeHeaders"/>) of one request ask for, read once.</summary>
internal sealed record FakeSteering
{
    public static FakeSteering Default { get; } = new();

    /// <summary>A status of 400 or more to answer with; smaller ones are ignored, as they always were.</summary>
    public int? Status { get; init; }

    public int DelayMs { get; init; }
    public int PaceMs { get; init; }
    public int? ImageBytes { get; init; }
    public ContentCoding? Encoding { get; init; }
    public UsageDetailsStyle Details { get; init; }
    public EarlyUsageFields EarlyUsage { get; init; }
    public long CachedTokens { get; init; }
    public long ToolUseTokens { get; init; }
    public long ThoughtsTokens { get; init; }
    public int? ThoughtImages { get; init; }
    public string? Refusal { get; init; }
    public SseStyle Sse { get; init; }
    public int? BreakAfterEvents { get; init; }
    public long? BreakAfterBytes { get; init; }
    public bool ErrorUsage { get; init; }
    public long? StallAfterBytes { get; init; }
    public int? BreakInEvent { get; init; }
    public FakeBodyKind? Body { get; init; }

    /// <summary>The steering of <paramref name="request"/>, or the first header it could not read in <paramref name="error"/>.</summary>
    public static FakeSteering Parse(ReceivedRequest request, out string? error)
    {
        if (request.Header(FakeHeaders.SteerModel) is { } steered && !string.Equals(steered.Trim(), request.Model, StringComparison.Ordinal))
        {
            // Steering meant for another model of the chain: this request gets the normal answer.
            error = null;
            return Default;
        }

        var reader = new SteeringHeaderReader(request);
        var steering = new FakeSteering
        {
            Status = reader.Number(FakeHeaders.Status, 100, 599) is { } status && status >= 400 ? (int)status : null,
            DelayMs = (int)(reader.Number(FakeHeaders.DelayMs, 0, 600_000) ?? 0),
            PaceMs = (int)(reader.Number(FakeHeaders.PaceMs, 0, 10_000) ?? 0),
            ImageBytes = (int?)reader.Number(FakeHeaders.ImageBytes, 0, 256 * 1024 * 1024),
            Encoding = reader.Choice(FakeHeaders.Encoding, EncodingOf),
            Details = reader.Flags(FakeHeaders.UsageDetails, DetailsOf),
            EarlyUsage = reader.Flags(FakeHeaders.EarlyUsage, EarlyOf),
            CachedTokens = reader.Number(FakeHeaders.CachedTokens, 0, 10_000_000) ?? 0,
            ToolUseTokens = reader.Number(FakeHeaders.ToolUseTokens, 0, 10_000_000) ?? 0,
            ThoughtsTokens = reader.Number(FakeHeaders.ThoughtsTokens, 0, 10_000_000) ?? 0,
            ThoughtImages = (int?)reader.Number(FakeHeaders.ThoughtImages, 0, 8),
            Refusal = reader.Word(FakeHeaders.Refusal, RefusalOf),
            Sse = reader.Flags(FakeHeaders.Sse, SseOf),
            BreakAfterEvents = (int?)reader.Number(FakeHeaders.BreakAfterEvents, 0, 1_000),
            BreakAfterBytes = reader.Number(FakeHeaders.BreakAfterBytes, 0, long.MaxValue),
            ErrorUsage = reader.Choice(FakeHeaders.ErrorUsage, BooleanOf) ?? false,
            StallAfterBytes = reader.Number(FakeHeaders.StallAfterBytes, 0, long.MaxValue),
            BreakInEvent = (int?)reader.Number(FakeHeaders.BreakInEvent, 1, 1_000),
            Body = reader.Choice(FakeHeaders.Body, BodyOf),
        };
        error = reader.Error;
        return steering;
    }

    private static ContentCoding? EncodingOf(string value) => value switch
    {
        FakeHeaders.Encodings.Identity => ContentCoding.Identity,
        FakeHeaders.Encodings.Gzip => ContentCoding.Gzip,
        FakeHeaders.Encodings.Deflate => ContentCoding.Deflate,
        FakeHeaders.Encodings.RawDeflate => ContentCoding.RawDeflate,
        FakeHeaders.Encodings.Brotli => ContentCoding.Brotli,
        FakeHeaders.Encodings.Zstd => ContentCoding.UnreadableZstd,
        _ => null,
    };

    private static UsageDetailsStyle? DetailsOf(string value) => value switch
    {
        FakeHeaders.UsageDetailsValues.Normal => UsageDetailsStyle.Normal,
        FakeHeaders.UsageDetailsValues.NoCandidatesDetails => UsageDetailsStyle.NoCandidatesDetails,
        FakeHeaders.UsageDetailsValues.EscapedModality => UsageDetailsStyle.EscapedModality,
        FakeHeaders.UsageDetailsValues.ImageTwice => UsageDetailsStyle.ImageTwice,
        FakeHeaders.UsageDetailsValues.NoPromptDetails => UsageDetailsStyle.NoPromptDetails,
        _ => null,
    };

    private static EarlyUsageFields? EarlyOf(string value) => value switch
    {
        "thoughtsTokenCount" => EarlyUsageFields.ThoughtsTokenCount,
        "cachedContentTokenCount" => EarlyUsageFields.CachedContentTokenCount,
        "toolUsePromptTokenCount" => EarlyUsageFields.ToolUsePromptTokenCount,
        "promptTokensDetails" => EarlyUsageFields.PromptTokensDetails,
        _ => null,
    };

    private static SseStyle? SseOf(string value) => value switch
    {
        FakeHeaders.SseValues.Comments => SseStyle.Comments,
        FakeHeaders.SseValues.EventLines => SseStyle.EventLines,
        FakeHeaders.SseValues.LfOnly => SseStyle.LfOnly,
        FakeHeaders.SseValues.CrLf => SseStyle.Plain,
        FakeHeaders.SseValues.SplitData => SseStyle.SplitData,
        _ => null,
    };

    private static string? RefusalOf(string value) => value is FakeHeaders.Refusals.ImageSafety or FakeHeaders.Refusals.ImageProhibitedContent
        or FakeHeaders.Refusals.NoImage or FakeHeaders.Refusals.Safety ? value : null;

    private static FakeBodyKind? BodyOf(string value) => value switch
    {
        FakeHeaders.Bodies.Html => FakeBodyKind.Html,
        FakeHeaders.Bodies.Binary => FakeBodyKind.Binary,
        FakeHeaders.Bodies.BinaryAsJson => FakeBodyKind.BinaryAsJson,
        FakeHeaders.Bodies.TruncatedJson => FakeBodyKind.TruncatedJson,
        _ => null,
    };

    private static bool? BooleanOf(string value) => value switch
    {
        "true" or "1" => true,
        "false" or "0" => false,
        _ => null,
    };
}

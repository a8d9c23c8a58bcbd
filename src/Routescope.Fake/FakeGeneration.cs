namespace Routescope.Fake;

/// <summary>
/// What the fake generates for one generate request, decided from the request before a byte is written, so its bill
/// stands however the answer ends. Both answer shapes (one JSON, a stream of events) are written from it.
/// </summary>
internal sealed record FakeGeneration
{
    /// <summary>Tokens of the answer text, whatever its words.</summary>
    public const long AnswerTextTokens = 12;

    public required string Model { get; init; }
    public required ulong Seed { get; init; }

    /// <summary>Raw bytes of each image, final or thought; 0 means the answer has no image.</summary>
    public required int ImageBytes { get; init; }

    public required int TokensPerImage { get; init; }

    /// <summary>Interim images asked for (by default or steering); none are made when the answer has no image.</summary>
    public required int ThoughtImagesAsked { get; init; }

    /// <summary>Prompt tokens, <see cref="CachedTokens"/> included.</summary>
    public required long PromptTokens { get; init; }

    public long CachedTokens { get; init; }
    public long ToolUseTokens { get; init; }
    public long ThoughtTextTokens { get; init; }

    /// <summary>The finish reason of a refusal, or null for an answer.</summary>
    public string? Refusal { get; init; }

    public UsageDetailsStyle Details { get; init; }
    public EarlyUsageFields EarlyUsage { get; init; }

    public string FinishReason => Refusal ?? "STOP";

    /// <summary>Final images in the answer: one, unless there is no image or it was refused.</summary>
    public int Images => ImageBytes > 0 && Refusal is null ? 1 : 0;

    /// <summary>Interim images made while thinking; billed even when a refusal withholds them.</summary>
    public int ThoughtImages => ImageBytes > 0 ? ThoughtImagesAsked : 0;

    /// <summary>Thought images appear in the answer only when it is not refused: a refusal returns no image at all.</summary>
    public int ThoughtImagesShown => Refusal is null ? ThoughtImages : 0;

    /// <summary>The answer's text in two pieces (a stream sends one early, one at the end); empty for a silent refusal.</summary>
    public (string First, string Last) Text => Refusal switch
    {
        null => ("Here is", " the answer."),
        FakeHeaders.Refusals.NoImage => ("I could not", " draw that."),
        _ => (string.Empty, string.Empty),
    };

    public long ImageTokens => (long)Images * TokensPerImage;

    public long ThoughtImageTokens => (long)ThoughtImages * TokensPerImage;

    public long ThoughtsTokens => ThoughtTextTokens + ThoughtImageTokens;

    public long CandidatesTokens => (Text.First.Length > 0 ? AnswerTextTokens : 0) + ImageTokens;

    public FakeBill Bill => new()
    {
        PromptTokens = PromptTokens,
        CachedContentTokens = CachedTokens,
        ToolUsePromptTokens = ToolUseTokens,
        ThoughtsTokens = ThoughtsTokens,
        ThoughtImageTokens = ThoughtImageTokens,
        CandidatesTokens = CandidatesTokens,
        ImageTokens = ImageTokens,
        Images = Images,
        ThoughtImages = ThoughtImages,
    };

    /// <summary>The usage of the whole answer, as its final event (or the one JSON answer) reports it.</summary>
    public UsageSnapshot FinalUsage(EarlyUsageFields omitted = EarlyUsageFields.None) => new()
    {
        PromptTokens = PromptTokens,
        CachedTokens = CachedTokens,
        ToolUseTokens = ToolUseTokens,
        ThoughtsTokens = ThoughtsTokens,
        CandidatesTokens = CandidatesTokens,
        ImageTokens = ImageTokens,
        Omitted = omitted,
    };

    /// <summary>The cumulative usage of an early stream event, after <paramref name="thoughtImagesDone"/> thought images.</summary>
    public UsageSnapshot EarlyUsageAfter(int thoughtImagesDone) => new()
    {
        PromptTokens = PromptTokens,
        CachedTokens = CachedTokens,
        ToolUseTokens = ToolUseTokens,
        ThoughtsTokens = ThoughtTextTokens + ((long)thoughtImagesDone * TokensPerImage),
    };
}

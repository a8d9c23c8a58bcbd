namespace Routescope.Fake;

/// <summary>
/// The tokens the fake generated for one request and bills for them, as the real upstream would invoice them.
/// <list type="bullet">
/// <item><see cref="PromptTokens"/> includes <see cref="CachedContentTokens"/>; <see cref="ToolUsePromptTokens"/> is apart from both.</item>
/// <item><see cref="CandidatesTokens"/> is answer text plus final images (<see cref="ImageTokens"/>).</item>
/// <item>Thought images are billed as thinking: their tokens (as many per image as a final image of the same size)
/// are in <see cref="ThoughtsTokens"/>, never in <see cref="CandidatesTokens"/> or <see cref="ImageTokens"/>, and they
/// are not counted in <see cref="Images"/>.</item>
/// <item>A refusal returns no image of either kind and bills prompt, tool use and thinking (thought images included:
/// they were made before the answer was refused); NO_IMAGE also bills its short text answer.</item>
/// </list>
/// </summary>
public sealed record FakeBill
{
    /// <summary>What an unbilled answer (an error, a refusal to authenticate, a scripted answer, a model list) bills.</summary>
    public static FakeBill None { get; } = new();

    public long PromptTokens { get; init; }
    public long CachedContentTokens { get; init; }
    public long ToolUsePromptTokens { get; init; }

    /// <summary>Thinking text plus <see cref="ThoughtImageTokens"/>.</summary>
    public long ThoughtsTokens { get; init; }

    public long ThoughtImageTokens { get; init; }
    public long CandidatesTokens { get; init; }

    /// <summary>Tokens of the final images, part of <see cref="CandidatesTokens"/>.</summary>
    public long ImageTokens { get; init; }

    /// <summary>Final images generated.</summary>
    public long Images { get; init; }

    /// <summary>Interim images generated while thinking.</summary>
    public long ThoughtImages { get; init; }

    /// <summary>Answer text tokens: candidates without the final images.</summary>
    public long TextTokens => CandidatesTokens - ImageTokens;

    /// <summary>As the upstream's totalTokenCount: prompt + candidates + thoughts + tool use.</summary>
    public long TotalTokens => PromptTokens + CandidatesTokens + ThoughtsTokens + ToolUsePromptTokens;

    public static FakeBill operator +(FakeBill left, FakeBill right) => (left ?? None).Add(right);

    public FakeBill Add(FakeBill other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new FakeBill
        {
            PromptTokens = PromptTokens + other.PromptTokens,
            CachedContentTokens = CachedContentTokens + other.CachedContentTokens,
            ToolUsePromptTokens = ToolUsePromptTokens + other.ToolUsePromptTokens,
            ThoughtsTokens = ThoughtsTokens + other.ThoughtsTokens,
            ThoughtImageTokens = ThoughtImageTokens + other.ThoughtImageTokens,
            CandidatesTokens = CandidatesTokens + other.CandidatesTokens,
            ImageTokens = ImageTokens + other.ImageTokens,
            Images = Images + other.Images,
            ThoughtImages = ThoughtImages + other.ThoughtImages,
        };
    }
}

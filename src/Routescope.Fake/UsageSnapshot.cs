namespace Routescope.Fake;

/// <summary>The usageMetadata of one event (cumulative, as the upstream reports it) and the fields it leaves out.</summary>
internal sealed record UsageSnapshot
{
    public required long PromptTokens { get; init; }
    public long CachedTokens { get; init; }
    public long ToolUseTokens { get; init; }
    public long ThoughtsTokens { get; init; }
    public long CandidatesTokens { get; init; }
    public long ImageTokens { get; init; }

    /// <summary>Fields not written although they count: the total still includes them.</summary>
    public EarlyUsageFields Omitted { get; init; }

    public long TotalTokens => PromptTokens + CandidatesTokens + ThoughtsTokens + ToolUseTokens;
}

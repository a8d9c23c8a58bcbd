namespace Routescope.Gateway.Gemini;

/// <summary>The <c>usageMetadata</c> of a response: token counts by kind, and by modality where the upstream says.</summary>
internal sealed record TokenCounts
{
    public long PromptTokens { get; init; }
    public long CandidatesTokens { get; init; }
    public long ThoughtsTokens { get; init; }
    public long CachedContentTokens { get; init; }
    public long ToolUsePromptTokens { get; init; }
    public long TotalTokens { get; init; }

    /// <summary>Prompt tokens by modality (TEXT, IMAGE, …) from <c>promptTokensDetails</c>.</summary>
    public IReadOnlyDictionary<string, long> PromptByModality { get; init; } = new Dictionary<string, long>();

    /// <summary>Output tokens by modality from <c>candidatesTokensDetails</c>.</summary>
    public IReadOnlyDictionary<string, long> CandidatesByModality { get; init; } = new Dictionary<string, long>();

    /// <summary>Whether the candidates' details listed an IMAGE modality at all.</summary>
    public bool ReportsImageModality => CandidatesByModality.ContainsKey("IMAGE");

    /// <summary>prompt + candidates + thoughts + tool-use prompt equals the total (a block without a total matches).</summary>
    public bool TotalMatches => TotalTokens == 0 || PromptTokens + CandidatesTokens + ThoughtsTokens + ToolUsePromptTokens == TotalTokens;

    /// <summary>Output image tokens: the IMAGE modality of the candidates.</summary>
    public long OutputImageTokens => CandidatesByModality.TryGetValue("IMAGE", out var image) ? image : 0;

    /// <summary>Output text tokens: candidates minus images (upstreams often list only IMAGE in the details).</summary>
    public long OutputTextTokens => Math.Max(0, CandidatesTokens - OutputImageTokens);
}

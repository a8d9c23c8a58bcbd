namespace Routescope.Gateway.Gemini;

/// <summary>
/// The <c>usageMetadata</c> of a response: token counts by kind, and by modality where the upstream says. In a stream,
/// the blocks of every event merged field by field (the last value seen for a field wins). A field the upstream did
/// not send, or sent as something other than a non-negative integer, is 0.
/// </summary>
internal sealed record TokenCounts
{
    /// <summary><c>promptTokenCount</c>: the input, cached part included.</summary>
    public long PromptTokens { get; init; }

    /// <summary><c>candidatesTokenCount</c>: the output, text and images, thoughts excluded.</summary>
    public long CandidatesTokens { get; init; }

    /// <summary><c>thoughtsTokenCount</c>: thinking, billed at the text-output rate.</summary>
    public long ThoughtsTokens { get; init; }

    /// <summary><c>cachedContentTokenCount</c>: the part of the prompt served from a cache.</summary>
    public long CachedContentTokens { get; init; }

    /// <summary><c>toolUsePromptTokenCount</c>: input added by tool calls.</summary>
    public long ToolUsePromptTokens { get; init; }

    /// <summary><c>totalTokenCount</c>; 0 when the upstream sent none (see <see cref="ReportsTotal"/>).</summary>
    public long TotalTokens { get; init; }

    /// <summary>True when the upstream sent a <c>totalTokenCount</c>.</summary>
    public bool ReportsTotal { get; init; }

    /// <summary>Prompt tokens by modality (TEXT, IMAGE, …) from <c>promptTokensDetails</c>, repeated modalities summed.</summary>
    public IReadOnlyDictionary<string, long> PromptByModality { get; init; } = new Dictionary<string, long>();

    /// <summary>Output tokens by modality from <c>candidatesTokensDetails</c>, repeated modalities summed.</summary>
    public IReadOnlyDictionary<string, long> CandidatesByModality { get; init; } = new Dictionary<string, long>();

    /// <summary>Output image tokens: the IMAGE modality of the candidates.</summary>
    public long OutputImageTokens => CandidatesByModality.TryGetValue("IMAGE", out var image) ? image : 0;

    /// <summary>Output text tokens: candidates minus images (upstreams often list only IMAGE in the details).</summary>
    public long OutputTextTokens => Math.Max(0, CandidatesTokens - OutputImageTokens);

    /// <summary>True when the candidates' details list an IMAGE modality, so <see cref="OutputImageTokens"/> is the upstream's word, not a default.</summary>
    public bool ReportsImageModality => CandidatesByModality.ContainsKey("IMAGE");

    /// <summary>
    /// True when prompt + candidates + thoughts + tool-use prompt tokens add up to the total (cached tokens are part of
    /// the prompt). Without a total there is nothing to contradict, so a block without <c>totalTokenCount</c> matches.
    /// </summary>
    public bool TotalMatches => !ReportsTotal || (Int128)PromptTokens + CandidatesTokens + ThoughtsTokens + ToolUsePromptTokens == TotalTokens;
}

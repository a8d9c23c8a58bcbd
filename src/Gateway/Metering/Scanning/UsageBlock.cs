namespace Routescope.Gateway.Metering.Scanning;

/// <summary>
/// One <c>usageMetadata</c> block as read: each count null when absent (or not a valid count), each detail list only
/// when present. Scratch owned by one <see cref="UsageTally"/> and refilled for every block, so a stream of events
/// allocates nothing per event.
/// </summary>
internal sealed class UsageBlock
{
    public long? PromptTokens { get; set; }
    public long? CandidatesTokens { get; set; }
    public long? ThoughtsTokens { get; set; }
    public long? CachedContentTokens { get; set; }
    public long? ToolUsePromptTokens { get; set; }
    public long? TotalTokens { get; set; }

    /// <summary><c>promptTokensDetails</c> by modality, repeated modalities summed; meaningful when <see cref="HasPromptDetails"/>.</summary>
    public Dictionary<string, long> PromptDetails { get; } = new(StringComparer.Ordinal);

    public bool HasPromptDetails { get; set; }

    /// <summary><c>candidatesTokensDetails</c> by modality; meaningful when <see cref="HasCandidatesDetails"/>.</summary>
    public Dictionary<string, long> CandidatesDetails { get; } = new(StringComparer.Ordinal);

    public bool HasCandidatesDetails { get; set; }

    /// <summary>True when some count was not a non-negative 64-bit integer, or a detail entry was malformed.</summary>
    public bool Invalid { get; set; }

    public void Clear()
    {
        PromptTokens = CandidatesTokens = ThoughtsTokens = CachedContentTokens = ToolUsePromptTokens = TotalTokens = null;
        PromptDetails.Clear();
        CandidatesDetails.Clear();
        HasPromptDetails = HasCandidatesDetails = Invalid = false;
    }
}

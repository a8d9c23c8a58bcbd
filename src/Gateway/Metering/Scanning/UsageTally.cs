using Routescope.Gateway.Gemini;

namespace Routescope.Gateway.Metering.Scanning;

/// <summary>
/// The usage of a response, block after block: in a stream each event carries a <c>usageMetadata</c>, and early ones
/// leave out fields that are still zero, so blocks are merged field by field, the last value seen for each field
/// winning; a detail list seen replaces the earlier one as a whole.
/// </summary>
internal sealed class UsageTally
{
    private readonly UsageBlock _block = new();
    private readonly Dictionary<string, long> _promptDetails = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _candidatesDetails = new(StringComparer.Ordinal);
    private long? _prompt;
    private long? _candidates;
    private long? _thoughts;
    private long? _cached;
    private long? _toolUse;
    private long? _total;
    private bool _seen;

    /// <summary>True when some block held a count that is no valid count, or was not JSON.</summary>
    public bool Invalid { get; private set; }

    /// <summary>True when some block began but was never read whole.</summary>
    public bool Torn { get; private set; }

    /// <summary>Merges one complete block, given as the raw bytes of its object.</summary>
    public void Add(ReadOnlySpan<byte> usageMetadata)
    {
        if (!UsageMetadataReader.TryRead(usageMetadata, _block))
        {
            Invalid = true;
            return;
        }

        _seen = true;
        Invalid |= _block.Invalid;
        _prompt = _block.PromptTokens ?? _prompt;
        _candidates = _block.CandidatesTokens ?? _candidates;
        _thoughts = _block.ThoughtsTokens ?? _thoughts;
        _cached = _block.CachedContentTokens ?? _cached;
        _toolUse = _block.ToolUsePromptTokens ?? _toolUse;
        _total = _block.TotalTokens ?? _total;
        if (_block.HasPromptDetails)
        {
            Replace(_promptDetails, _block.PromptDetails);
        }

        if (_block.HasCandidatesDetails)
        {
            Replace(_candidatesDetails, _block.CandidatesDetails);
        }
    }

    /// <summary>A block began but its end never came (or it was too large to keep).</summary>
    public void MarkTorn() => Torn = true;

    /// <summary>The merged counts; null when no block was read.</summary>
    public TokenCounts? Counts() => !_seen ? null : new TokenCounts
    {
        PromptTokens = _prompt ?? 0,
        CandidatesTokens = _candidates ?? 0,
        ThoughtsTokens = _thoughts ?? 0,
        CachedContentTokens = _cached ?? 0,
        ToolUsePromptTokens = _toolUse ?? 0,
        TotalTokens = _total ?? 0,
        ReportsTotal = _total is not null,
        PromptByModality = new Dictionary<string, long>(_promptDetails, StringComparer.Ordinal),
        CandidatesByModality = new Dictionary<string, long>(_candidatesDetails, StringComparer.Ordinal),
    };

    private static void Replace(Dictionary<string, long> target, Dictionary<string, long> source)
    {
        target.Clear();
        foreach (var (modality, tokens) in source)
        {
            target[modality] = tokens;
        }
    }
}

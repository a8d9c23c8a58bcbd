namespace Routescope.Gateway.Gemini;

/// <summary>What metering saw of a response body as it streamed to the client: what the upstream said it used, and when.</summary>
internal sealed record ResponseObservation
{
    /// <summary>The last <c>usageMetadata</c> seen (in a stream, the cumulative totals of the last event carrying one).</summary>
    public TokenCounts? Usage { get; init; }

    public string? ModelVersion { get; init; }
    public string? ResponseId { get; init; }

    /// <summary>Inline data parts in the candidates: the images returned.</summary>
    public int Images { get; init; }

    public IReadOnlyList<string> FinishReasons { get; init; } = [];

    /// <summary>True when every JSON value that was opened was also closed.</summary>
    public bool Balanced { get; init; }

    public long Bytes { get; init; }

    public ResponseTiming Timing { get; init; }
}

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

    /// <summary>Interim images of a thinking model (<c>"thought": true</c> parts), not counted in <see cref="Images"/>.</summary>
    public int ThoughtImages { get; init; }

    public IReadOnlyList<string> FinishReasons { get; init; } = [];

    /// <summary><c>promptFeedback.blockReason</c>: the prompt itself was refused.</summary>
    public string? BlockReason { get; init; }

    /// <summary>The <c>Content-Encoding</c> the upstream answered with, when any.</summary>
    public string? ContentEncoding { get; init; }

    /// <summary>The body came in an encoding the gateway cannot read: nothing of it could be seen.</summary>
    public bool Unmetered { get; init; }

    /// <summary>A token count was not a whole non-negative number and was left out.</summary>
    public bool UsageInvalid { get; init; }

    /// <summary>A usage block began but the body ended (or overflowed) inside it.</summary>
    public bool UsageTorn { get; init; }

    /// <summary>True when every JSON value that was opened was also closed.</summary>
    public bool Balanced { get; init; }

    public long Bytes { get; init; }

    public ResponseTiming Timing { get; init; }
}

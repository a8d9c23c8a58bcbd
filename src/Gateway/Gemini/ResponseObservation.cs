namespace Routescope.Gateway.Gemini;

/// <summary>What metering saw of a response body as it streamed to the client: what the upstream said it used, and when.</summary>
internal sealed record ResponseObservation
{
    /// <summary>The usage the upstream reported: every complete <c>usageMetadata</c> block merged field by field; null when none closed.</summary>
    public TokenCounts? Usage { get; init; }

    /// <summary>The last <c>modelVersion</c> seen.</summary>
    public string? ModelVersion { get; init; }

    /// <summary>The last <c>responseId</c> seen.</summary>
    public string? ResponseId { get; init; }

    /// <summary>Final images returned: complete <c>inlineData</c> parts of the candidates that are not thoughts.</summary>
    public int Images { get; init; }

    /// <summary>Interim images the model showed while thinking: complete <c>inlineData</c> parts marked <c>"thought": true</c>.</summary>
    public int ThoughtImages { get; init; }

    /// <summary>The candidates' distinct <c>finishReason</c>s, in the order first seen.</summary>
    public IReadOnlyList<string> FinishReasons { get; init; } = [];

    /// <summary>The last <c>promptFeedback.blockReason</c> seen: why the prompt was refused; null when it was not.</summary>
    public string? BlockReason { get; init; }

    /// <summary>True when every JSON value that was opened was also closed (in SSE, within its event).</summary>
    public bool Balanced { get; init; }

    /// <summary>Body bytes as they went over the wire: the compressed size when the upstream compressed.</summary>
    public long Bytes { get; init; }

    /// <summary>When metering began to watch and when the first body byte passed.</summary>
    public ResponseTiming Timing { get; init; }

    /// <summary>The response's <c>Content-Encoding</c> as the upstream sent it; null when it sent none.</summary>
    public string? ContentEncoding { get; init; }

    /// <summary>True when the body could not be read for usage (an unsupported or stacked encoding, or a corrupt stream): whatever else this says is incomplete.</summary>
    public bool Unmetered { get; init; }

    /// <summary>True when a count in a <c>usageMetadata</c> block was not a non-negative 64-bit integer (it counts as absent), or a block was not valid JSON.</summary>
    public bool UsageInvalid { get; init; }

    /// <summary>True when a <c>usageMetadata</c> block began but never closed (the body or its event ended first) or outgrew the capture; earlier blocks still count.</summary>
    public bool UsageTorn { get; init; }
}

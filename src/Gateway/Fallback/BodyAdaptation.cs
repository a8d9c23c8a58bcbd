using System.Buffers;

using Routescope.Gateway.Gemini;

namespace Routescope.Gateway.Fallback;

/// <summary>A request body made fit for one model of the chain, and what was changed to get there.</summary>
internal sealed record BodyAdaptation
{
    public required string Model { get; init; }
    public required ReadOnlySequence<byte> Body { get; init; }
    public required RequestShape Shape { get; init; }

    /// <summary>Human-readable changes, e.g. <c>aspectRatio 1:8->9:16</c>, <c>imageSize dropped</c>; empty when none.</summary>
    public IReadOnlyList<string> Changes { get; init; } = [];
}

using System.Buffers;

namespace Routescope.Gateway.Gemini;

/// <summary>
/// A body that passed inspection: the buffered bytes every attempt replays, and what was read from them. The buffer
/// belongs to the request (disposed with its response), so this only borrows it.
/// </summary>
internal sealed record InspectedRequest
{
    public required ReadOnlySequence<byte> Body { get; init; }
    public required RequestShape Shape { get; init; }
}

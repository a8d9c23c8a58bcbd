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

    /// <summary>
    /// When the body's last byte had arrived (a timestamp of the request's <see cref="TimeProvider"/>): from here to
    /// the first upstream attempt is the gateway's own time (reading the shape, validation, the durability gate, the
    /// budget reservation), the client's upload before it is not. 0 when unknown.
    /// </summary>
    public long ReceivedTimestamp { get; init; }
}

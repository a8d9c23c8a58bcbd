namespace Routescope.Fake;

/// <summary>SSE framing beyond Google's plain <c>data: …</c> CRLF events, all of it legal SSE.</summary>
[Flags]
internal enum SseStyle
{
    Plain = 0,
    Comments = 1,
    EventLines = 2,
    LfOnly = 4,
    SplitData = 8,
}

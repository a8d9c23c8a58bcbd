namespace Routescope.Fake;

/// <summary>How the responses of one answer are framed on the wire.</summary>
internal enum EventFramingKind
{
    /// <summary>generateContent: one JSON object.</summary>
    Single,

    /// <summary>streamGenerateContent without alt=sse: one JSON array, streamed.</summary>
    JsonArray,

    /// <summary>streamGenerateContent?alt=sse.</summary>
    Sse,
}

namespace Routescope.Gateway.Tests.Infrastructure;

/// <summary>How an answer reaches the client, which decides what its last byte is.</summary>
public enum RequestKind
{
    /// <summary><c>generateContent</c> answered as the fake generates: one JSON answer, chunked, ending with the terminating chunk.</summary>
    ChunkedJson,

    /// <summary><c>generateContent</c> answered whole with a Content-Length, ending with its last byte.</summary>
    SizedJson,

    /// <summary><c>streamGenerateContent?alt=sse</c>: events, chunked; the final event, then the terminating chunk.</summary>
    Sse,
}

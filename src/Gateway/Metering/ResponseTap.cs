using Microsoft.Extensions.Primitives;

using Routescope.Gateway.Gemini;
using Routescope.Gateway.Metering.Framing;
using Routescope.Gateway.Metering.Scanning;

namespace Routescope.Gateway.Metering;

/// <summary>
/// Reads a copy of the response body for metering, in stages chosen from the response headers: frame SSE events,
/// scan the JSON. The client's bytes are never touched.
/// </summary>
internal sealed class ResponseTap : IDisposable
{
    private readonly UsageScanner _scanner = new();
    private readonly IBodyReader _reader;
    private readonly string? _contentEncoding;
    private long _bytes;
    private bool _done;

    /// <param name="contentEncoding">The response's <c>Content-Encoding</c> header.</param>
    /// <param name="contentType">The response's <c>Content-Type</c>; <c>text/event-stream</c> is framed as SSE.</param>
    public ResponseTap(StringValues contentEncoding, string? contentType)
    {
        _contentEncoding = StringValues.IsNullOrEmpty(contentEncoding) ? null : contentEncoding.ToString();
        _reader = IsEventStream(contentType) ? new SseFramer(_scanner) : _scanner;
    }

    /// <summary>Reads the next chunk of the body as it goes over the wire.</summary>
    public void Write(ReadOnlySpan<byte> wire)
    {
        _bytes += wire.Length;
        if (!_done)
        {
            _reader.Feed(wire);
        }
    }

    /// <summary>What the body said, once it ended; releases the pooled buffers.</summary>
    public ResponseObservation Complete(ResponseTiming timing)
    {
        var seen = _scanner.Complete() with
        {
            Bytes = _bytes,
            Timing = timing,
            ContentEncoding = _contentEncoding,
        };
        Dispose();
        return seen;
    }

    public void Dispose()
    {
        _done = true;
        _scanner.Dispose();
    }

    private static bool IsEventStream(string? contentType)
    {
        var mediaType = contentType.AsSpan();
        var parameters = mediaType.IndexOf(';');
        return (parameters < 0 ? mediaType : mediaType[..parameters]).Trim().Equals("text/event-stream", StringComparison.OrdinalIgnoreCase);
    }
}

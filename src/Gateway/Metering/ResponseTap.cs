using Microsoft.Extensions.Primitives;

using Routescope.Gateway.Gemini;
using Routescope.Gateway.Metering.Decoding;
using Routescope.Gateway.Metering.Framing;
using Routescope.Gateway.Metering.Scanning;

namespace Routescope.Gateway.Metering;

/// <summary>
/// Reads a copy of the response body for metering, in stages chosen from the response headers: undo the content
/// coding (YARP passes the upstream's compressed bytes through unchanged), frame SSE events, scan the JSON. The
/// client's bytes are never touched. A body it cannot read (unsupported or stacked coding, corrupt stream) is
/// reported unmetered rather than guessed at.
/// </summary>
internal sealed class ResponseTap : IDisposable
{
    private readonly UsageScanner _scanner = new();
    private readonly IBodyReader _reader;
    private readonly SseFramer? _events;
    private readonly ContentDecoder? _decoder;
    private readonly string? _contentEncoding;
    private long _bytes;
    private bool _unmetered;
    private bool _done;

    /// <param name="contentEncoding">The response's <c>Content-Encoding</c> header.</param>
    /// <param name="contentType">The response's <c>Content-Type</c>; <c>text/event-stream</c> is framed as SSE.</param>
    public ResponseTap(StringValues contentEncoding, string? contentType)
    {
        _contentEncoding = StringValues.IsNullOrEmpty(contentEncoding) ? null : contentEncoding.ToString();
        var coding = ContentCodings.Parse(contentEncoding);
        _unmetered = coding == ContentCoding.Unsupported;
        _decoder = _unmetered ? null : ContentDecoder.For(coding);
        _events = IsEventStream(contentType) ? new SseFramer(_scanner) : null;
        _reader = _events ?? (IBodyReader)_scanner;
    }

    /// <summary>
    /// Where in the chunk last written the end of the answer begins (the blank line of an SSE event with a finish
    /// reason), or -1. In a compressed stream only the chunk is known, not the place, and any of its bytes may decode
    /// to that blank line: then the whole chunk.
    /// </summary>
    public int AnswerEndsAt { get; private set; } = -1;

    /// <summary>Reads the next chunk of the body as it goes over the wire.</summary>
    public void Write(ReadOnlySpan<byte> wire)
    {
        _bytes += wire.Length;
        AnswerEndsAt = -1;
        if (_unmetered || _done)
        {
            return;
        }

        _events?.ClearFinishingEvent();
        if (_decoder is null)
        {
            _reader.Feed(wire);
            AnswerEndsAt = _events?.FinishingEventEnd ?? -1;
            return;
        }

        try
        {
            _decoder.Decode(wire, _reader);
            AnswerEndsAt = _events is { FinishingEventEnd: >= 0 } ? 0 : -1;
        }
        catch (InvalidDataException)
        {
            // What was read before the damage stays in the observation; the flag says it is not the whole.
            _unmetered = true;
            _decoder.Dispose();
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
            Unmetered = _unmetered,
        };
        Dispose();
        return seen;
    }

    public void Dispose()
    {
        _done = true;
        _decoder?.Dispose();
        _scanner.Dispose();
    }

    private static bool IsEventStream(string? contentType)
    {
        var mediaType = contentType.AsSpan();
        var parameters = mediaType.IndexOf(';');
        return (parameters < 0 ? mediaType : mediaType[..parameters]).Trim().Equals("text/event-stream", StringComparison.OrdinalIgnoreCase);
    }
}

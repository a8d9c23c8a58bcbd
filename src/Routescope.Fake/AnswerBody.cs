using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Routescope.Fake;

/// <summary>
/// The body of one generate answer as it streams: text and base64 images go through a pooled buffer, then the
/// encoder of the chosen coding, then (when steered) a byte limit, then the response. Events are flushed through the
/// encoder one by one (a sync flush), so a compressed stream still arrives event by event. A steered break flushes
/// what is allowed, aborts the connection and throws <see cref="OperationCanceledException"/>, as a dropped
/// connection would.
/// </summary>
internal sealed class AnswerBody : IAsyncDisposable
{
    private const int BufferSize = 64 * 1024;

    // A multiple of 3, so chunks concatenate into one valid base64 string, and 4/3 of it fills the buffer exactly.
    private const int RawImageChunk = BufferSize / 4 * 3;

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly HttpContext _context;
    private readonly Stream _wire;
    private readonly Stream? _encoder;
    private readonly int? _breakAfterEvents;
    private readonly int _paceMs;
    private readonly byte[] _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    private int _buffered;
    private int _events;
    private bool _completed;

    private AnswerBody(HttpContext context, ContentCoding coding, FakeSteering steering)
    {
        _context = context;
        _breakAfterEvents = steering.BreakAfterEvents;
        _paceMs = steering.PaceMs;
        var wire = steering.BreakAfterBytes is { } limit ? new BreakingStream(context.Response.Body, limit, BreakAsync) : context.Response.Body;
        _wire = steering.StallAfterBytes is { } stall ? new BreakingStream(wire, stall, StallAsync) : wire;
        _encoder = coding == ContentCoding.Identity ? null : ContentCodingStreams.Encoder(coding, _wire);
    }

    private Stream Target => _encoder ?? _wire;

    private CancellationToken Aborted => _context.RequestAborted;

    /// <summary>Sends the headers of a 200 answer (and breaks at once when steered to break after no event).</summary>
    public static async Task<AnswerBody> StartAsync(HttpContext context, string contentType, ContentCoding coding, FakeSteering steering)
    {
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = contentType;
        response.Headers.Vary = "Accept-Encoding";
        if (ContentCodingStreams.Label(coding) is { } label)
        {
            response.Headers.ContentEncoding = label;
        }

        var body = new AnswerBody(context, coding, steering);
        await response.StartAsync(context.RequestAborted);
        if (steering.BreakAfterEvents == 0)
        {
            // Breaking throws, so the body is nobody else's to dispose.
            await using (body)
            {
                await body.BreakAsync(context.RequestAborted);
            }
        }

        return body;
    }

    public async ValueTask WriteAsync(string text)
    {
        var needed = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (needed > BufferSize - _buffered)
        {
            await DrainAsync();
        }

        if (needed > BufferSize)
        {
            await Target.WriteAsync(Encoding.UTF8.GetBytes(text), Aborted);
            return;
        }

        _buffered += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_buffered));
    }

    /// <summary>A PNG-signed pseudo-random image of <paramref name="imageBytes"/> bytes, as base64, one chunk at a time.</summary>
    public async Task WriteImageAsync(int imageBytes, ulong seed)
    {
        var raw = ArrayPool<byte>.Shared.Rent(RawImageChunk);
        try
        {
            var state = seed;
            var written = 0;
            while (written < imageBytes)
            {
                await DrainAsync();
                var count = Math.Min(RawImageChunk, imageBytes - written);
                for (var i = 0; i < count; i++)
                {
                    var position = written + i;
                    if (position < PngSignature.Length)
                    {
                        raw[i] = PngSignature[position];
                        continue;
                    }

                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    raw[i] = (byte)state;
                }

                Base64.EncodeToUtf8(raw.AsSpan(0, count), _buffer, out _, out _buffered);
                written += count;
                await FlushAsync();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(raw);
        }
    }

    /// <summary>One event is written: flush it all the way out, then break if this was the last one allowed.</summary>
    public async Task EndEventAsync()
    {
        await FlushAsync();
        _events++;
        if (_events == _breakAfterEvents)
        {
            await BreakAsync(Aborted);
        }
    }

    /// <summary>The answer is complete: the encoder's trailer, the last chunk, the end of the response.</summary>
    public async Task CompleteAsync()
    {
        await DrainAsync();
        _completed = true;
        if (_encoder is not null)
        {
            await _encoder.DisposeAsync();
        }

        await _context.Response.CompleteAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_completed && _encoder is not null)
        {
            try
            {
                // Only to free the native compressor: the connection is gone, so its trailer goes nowhere.
                await _encoder.DisposeAsync();
            }
            catch (Exception exception) when (exception is OperationCanceledException or IOException or InvalidOperationException or NotSupportedException)
            {
            }
        }

        ArrayPool<byte>.Shared.Return(_buffer);
    }

    /// <summary>Everything written so far goes out, then the steered pause.</summary>
    private async Task FlushAsync()
    {
        await DrainAsync();
        await Target.FlushAsync(Aborted);
        if (_paceMs > 0)
        {
            await Task.Delay(_paceMs, Aborted);
        }
    }

    private async ValueTask DrainAsync()
    {
        if (_buffered > 0)
        {
            var count = _buffered;
            _buffered = 0;
            await Target.WriteAsync(_buffer.AsMemory(0, count), Aborted);
        }
    }

    /// <summary>Breaks the connection here, in the middle of whatever is being written: what was written goes out first.</summary>
    public async Task BreakHereAsync()
    {
        await DrainAsync();
        await Target.FlushAsync(Aborted);
        await BreakAsync(Aborted);
    }

    private Task BreakAsync(CancellationToken cancellationToken) => FakeConnection.BreakAsync(_context, cancellationToken);

    /// <summary>What was sent goes out (the headers at least), then nothing more until the caller gives up and leaves.</summary>
    private async Task StallAsync(CancellationToken cancellationToken)
    {
        await _context.Response.Body.FlushAsync(cancellationToken);
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }
}

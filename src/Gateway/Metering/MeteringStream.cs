using System.Runtime.CompilerServices;

using Routescope.Gateway.Gemini;

namespace Routescope.Gateway.Metering;

/// <summary>
/// The client response body, observed: every chunk the forwarder copies is shown to the response tap, then written
/// on unchanged. Once the client is gone the chunks are still observed, for the usage the upstream bills by, but
/// written nowhere (within the departure's bounds). With <paramref name="holdEnd"/>, the end of the answer is kept
/// back until <see cref="DeliverRestAsync"/> is told its record is durable: the last byte of a <c>Content-Length</c>
/// body, and the blank line that ends an SSE event with a finish reason (earlier events go out as they come). The
/// end of a chunked body (its terminating chunk) waits by itself: the server writes it only once this step returns.
/// </summary>
internal sealed class MeteringStream(HttpResponse response, TimeProvider time, ClientDeparture departure, bool holdEnd = false) : Stream
{
    private readonly Stream _inner = response.Body;
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();
    private readonly long _started = time.GetTimestamp();
    private ResponseTap? _tap;
    private long _firstByte;
    private long _body;

    /// <summary>Bytes of the answer's end kept back from the client until its record is durable.</summary>
    private byte[]? _held;

    /// <summary>The stream this one writes through to: the client's response body.</summary>
    public Stream Inner => _inner;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>What passed through, once the response ended.</summary>
    public ResponseObservation Complete() => Tap().Complete(new ResponseTiming(_startedAt, _started, _firstByte));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Observe(buffer);
        if (!Forwarding(buffer.Length))
        {
            return;
        }

        var send = HoldBack(buffer.Length);
        try
        {
            if (TakeHeld() is { } held)
            {
                _inner.Write(held);
            }

            _inner.Write(buffer[..send]);
        }
        catch (Exception exception) when (ClientFailed(exception, CancellationToken.None))
        {
        }

        Hold(buffer[send..]);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Observe(buffer.Span);
        if (!Forwarding(buffer.Length))
        {
            return ValueTask.CompletedTask;
        }

        var send = HoldBack(buffer.Length);
        if (send < buffer.Length || _held is not null)
        {
            // The answer's end (rare: once per response): the slow path, in order.
            return WriteAroundHoldAsync(buffer, send, cancellationToken);
        }

        ValueTask write;
        try
        {
            write = _inner.WriteAsync(buffer, cancellationToken);
        }
        catch (Exception exception) when (ClientFailed(exception, cancellationToken))
        {
            return ValueTask.CompletedTask;
        }

        // Most writes complete at once; only the others pay for awaiting (and their state machine comes from a pool,
        // since a 16 MB answer is a few hundred writes).
        return write.IsCompletedSuccessfully ? ValueTask.CompletedTask : AwaitAsync(write, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
        if (!departure.Left.IsCancellationRequested)
        {
            try
            {
                _inner.Flush();
            }
            catch (Exception exception) when (ClientFailed(exception, CancellationToken.None))
            {
            }
        }
    }

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        if (departure.Left.IsCancellationRequested)
        {
            return Task.CompletedTask;
        }

        Task flush;
        try
        {
            flush = _inner.FlushAsync(cancellationToken);
        }
        catch (Exception exception) when (ClientFailed(exception, cancellationToken))
        {
            return Task.CompletedTask;
        }

        return flush.IsCompletedSuccessfully ? Task.CompletedTask : AwaitAsync(new ValueTask(flush), cancellationToken).AsTask();
    }

    /// <summary>
    /// The request's record is durable (<paramref name="recorded"/>), or it could not be made so: the bytes kept back go
    /// to the client, or the client gets a cut connection instead of a complete answer nobody could bill.
    /// </summary>
    public async Task DeliverRestAsync(bool recorded)
    {
        var held = TakeHeld();
        if (departure.Left.IsCancellationRequested)
        {
            return;
        }

        if (!recorded)
        {
            if (response.HasStarted)
            {
                response.HttpContext.Abort();
            }

            return;
        }

        if (held is null)
        {
            return;
        }

        try
        {
            await _inner.WriteAsync(held);
        }
        catch (Exception exception) when (ClientFailed(exception, CancellationToken.None))
        {
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask AwaitAsync(ValueTask pending, CancellationToken cancellationToken)
    {
        try
        {
            await pending;
        }
        catch (Exception exception) when (ClientFailed(exception, cancellationToken))
        {
        }
    }

    private async ValueTask WriteAroundHoldAsync(ReadOnlyMemory<byte> buffer, int send, CancellationToken cancellationToken)
    {
        try
        {
            if (TakeHeld() is { } held)
            {
                await _inner.WriteAsync(held, cancellationToken);
            }

            await _inner.WriteAsync(buffer[..send], cancellationToken);
        }
        catch (Exception exception) when (ClientFailed(exception, cancellationToken))
        {
        }

        Hold(buffer.Span[send..]);
    }

    /// <summary>How much of the next <paramref name="count"/> bytes goes out now; the rest is the answer's end, kept back.</summary>
    private int HoldBack(int count)
    {
        var body = _body;
        _body += count;
        if (!holdEnd || count == 0)
        {
            return count;
        }

        var send = count;
        if (response.ContentLength is { } length && body + count >= length)
        {
            send = (int)Math.Clamp(length - 1 - body, 0, count - 1);
        }

        var answerEnd = Tap().AnswerEndsAt;
        return answerEnd >= 0 ? Math.Min(send, answerEnd) : send;
    }

    private void Hold(ReadOnlySpan<byte> end)
    {
        if (!end.IsEmpty)
        {
            _held = end.ToArray();
        }
    }

    private byte[]? TakeHeld()
    {
        var held = _held;
        _held = null;
        return held;
    }

    /// <summary>Whether the chunk goes to the client; once it left, the chunk only counts against the drain's limit.</summary>
    private bool Forwarding(int count)
    {
        if (!departure.Left.IsCancellationRequested)
        {
            return true;
        }

        departure.Discarded(count);
        return false;
    }

    /// <summary>
    /// A write to the client failed because its connection is gone (not because the copy was cancelled): the client
    /// left, and the answer goes on being read for its usage.
    /// </summary>
    private bool ClientFailed(Exception exception, CancellationToken copy)
    {
        if (exception is not (IOException or OperationCanceledException) || copy.IsCancellationRequested || departure.Drain.IsCancellationRequested)
        {
            return false;
        }

        departure.MarkLeft();
        return true;
    }

    private void Observe(ReadOnlySpan<byte> chunk)
    {
        if (chunk.IsEmpty)
        {
            return;
        }

        if (_firstByte == 0)
        {
            _firstByte = time.GetTimestamp();
        }

        Tap().Write(chunk);
    }

    /// <summary>
    /// The tap, set up from the headers when the body starts: only then are they final (until the first write a step
    /// may still replace the upstream's answer with its own).
    /// </summary>
    private ResponseTap Tap() => _tap ??= new ResponseTap(response.Headers.ContentEncoding, response.ContentType);
}

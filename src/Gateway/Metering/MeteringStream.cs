using System.Runtime.CompilerServices;

using Routescope.Gateway.Gemini;

namespace Routescope.Gateway.Metering;

/// <summary>
/// The client response body, observed: every chunk the forwarder copies is shown to the response tap, then written
/// on unchanged. Nothing is buffered here. Once the client is gone the chunks are still observed, for the usage the
/// upstream bills by, but written nowhere (within the departure's bounds).
/// </summary>
internal sealed class MeteringStream(HttpResponse response, TimeProvider time, ClientDeparture departure) : Stream
{
    private readonly Stream _inner = response.Body;
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();
    private readonly long _started = time.GetTimestamp();
    private ResponseTap? _tap;
    private long _firstByte;

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

        try
        {
            _inner.Write(buffer);
        }
        catch (Exception exception) when (ClientFailed(exception, CancellationToken.None))
        {
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Observe(buffer.Span);
        if (!Forwarding(buffer.Length))
        {
            return ValueTask.CompletedTask;
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

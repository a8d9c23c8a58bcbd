using Routescope.Gateway.Gemini;

namespace Routescope.Gateway.Metering;

/// <summary>
/// The client response body, observed: every chunk the forwarder copies is shown to the usage scanner, then written
/// on unchanged. Nothing is buffered here.
/// </summary>
internal sealed class MeteringStream(Stream inner, TimeProvider time) : Stream
{
    private readonly UsageScanner _scanner = new();
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();
    private readonly long _started = time.GetTimestamp();
    private long _firstByte;

    /// <summary>The stream this one writes through to: the client's response body.</summary>
    public Stream Inner => inner;

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
    public ResponseObservation Complete() => _scanner.Complete(new ResponseTiming(_startedAt, _started, _firstByte));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Observe(buffer);
        inner.Write(buffer);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Observe(buffer.Span);
        return inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

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

        _scanner.Feed(chunk);
    }
}

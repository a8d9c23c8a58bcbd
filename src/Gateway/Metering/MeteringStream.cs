namespace Routescope.Gateway.Metering;

/// <summary>
/// The client response body, observed: every chunk the forwarder copies is shown to the usage scanner, then written
/// on unchanged. Nothing is buffered here.
/// </summary>
internal sealed class MeteringStream(Stream inner, UsageScanner scanner, TimeProvider time) : Stream
{
    /// <summary>Timestamp (<see cref="TimeProvider.GetTimestamp"/>) of the first body byte; 0 until then.</summary>
    public long FirstByteTimestamp { get; private set; }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

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

        if (FirstByteTimestamp == 0)
        {
            FirstByteTimestamp = time.GetTimestamp();
        }

        scanner.Feed(chunk);
    }
}

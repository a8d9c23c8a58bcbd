namespace Routescope.Gateway.Policy;

/// <summary>
/// Stands in for the response body while a model list is filtered: keeps what the forwarder writes, up to a bound,
/// and sends nothing (a flush included), so the client gets only the filtered list.
/// </summary>
internal sealed class ModelListBuffer(int maxBytes) : Stream
{
    private readonly MemoryStream _kept = new();

    /// <summary>The upstream wrote more than the bound: what was kept is not the whole body.</summary>
    public bool Overflowed { get; private set; }

    public ReadOnlyMemory<byte> Written => _kept.GetBuffer().AsMemory(0, (int)_kept.Length);

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
        if (Overflowed || _kept.Length + buffer.Length > maxBytes)
        {
            // The rest is read and dropped, so the forwarder finishes normally; the caller answers with an error.
            Overflowed = true;
            return;
        }

        _kept.Write(buffer);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _kept.Dispose();
        }

        base.Dispose(disposing);
    }
}

namespace Routescope.Gateway.Tests.Exports;

/// <summary>An output that can say, from another thread, how many bytes have reached it so far.</summary>
public sealed class XlsxProbeStream : MemoryStream
{
    private long _written;

    public long Written => Interlocked.Read(ref _written);

    public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);

    // MemoryStream's span overload goes through this one in a derived type: the one place bytes are kept.
    public override void Write(byte[] buffer, int offset, int count)
    {
        base.Write(buffer, offset, count);
        Interlocked.Add(ref _written, count);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer, offset, count);
        return Task.CompletedTask;
    }
}

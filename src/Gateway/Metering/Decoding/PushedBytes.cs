using System.Buffers;

namespace Routescope.Gateway.Metering.Decoding;

/// <summary>
/// The source a pull-model <see cref="System.IO.Compression.DeflateStream"/> reads from, filled by the push side one
/// piece at a time. When it is empty it returns 0, and the inflater keeps its state until the next piece: that it
/// resumes cleanly after such a 0 is pinned by the every-split-point tests.
/// </summary>
internal sealed class PushedBytes : Stream
{
    /// <summary>Most bytes held at once; a longer chunk is pushed in pieces.</summary>
    public const int Capacity = 16 * 1024;

    private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(Capacity);
    private int _start;
    private int _end;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Holds the next piece (at most <see cref="Capacity"/> bytes); the previous one must have been read.</summary>
    public void Push(ReadOnlySpan<byte> piece)
    {
        ObjectDisposedException.ThrowIf(_buffer is null, this);
        piece.CopyTo(_buffer);
        _start = 0;
        _end = piece.Length;
    }

    public override int Read(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, _end - _start);
        _buffer.AsSpan(_start, count).CopyTo(buffer);
        _start += count;
        return count;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && _buffer is { } buffer)
        {
            _buffer = null;
            _start = _end = 0;
            ArrayPool<byte>.Shared.Return(buffer);
        }

        base.Dispose(disposing);
    }
}

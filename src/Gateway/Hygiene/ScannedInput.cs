using System.Buffers;
using System.IO.Pipelines;

namespace Routescope.Gateway.Hygiene;

/// <summary>
/// A connection's input that shows each byte to a <see cref="ConnectionFramingScanner"/> once, the first time a read
/// returns it. It hands Kestrel the transport's own buffers: wrapping the pipe in a stream and a new pipe would copy
/// every request byte (20 MB of an edit's base64) once more.
/// </summary>
internal sealed class ScannedInput(PipeReader inner, ConnectionFramingScanner scanner) : PipeReader
{
    private ReadOnlySequence<byte> _buffer;

    // How much of the buffer the last read returned has been scanned (reads return the unconsumed bytes again).
    private long _scanned;

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        var result = await inner.ReadAsync(cancellationToken);
        Saw(result.Buffer);
        return result;
    }

    public override bool TryRead(out ReadResult result)
    {
        if (!inner.TryRead(out result))
        {
            return false;
        }

        Saw(result.Buffer);
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        _scanned -= _buffer.Slice(_buffer.Start, consumed).Length;
        _buffer = default;
        inner.AdvanceTo(consumed, examined);
    }

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    private void Saw(ReadOnlySequence<byte> buffer)
    {
        _buffer = buffer;
        if (buffer.Length <= _scanned)
        {
            return;
        }

        foreach (var segment in buffer.Slice(_scanned))
        {
            scanner.Scan(segment.Span);
        }

        _scanned = buffer.Length;
    }
}

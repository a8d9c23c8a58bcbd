using System.Buffers;
using System.IO.Pipelines;

namespace Routescope.Gateway.Exports;

/// <summary>
/// A write-only stream into a bounded pipe, for a synchronous writer on a thread of its own (see <see cref="XlsxPipe"/>):
/// each write waits while the pipe is full, so the writer goes no faster than the reader, and fails once the reader is
/// gone, so a client that leaves stops the export instead of letting it run to the end into nowhere.
/// </summary>
internal sealed class XlsxPipeStream(PipeWriter pipe) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        pipe.Write(buffer);
        var flush = pipe.FlushAsync();
        // Blocking here is the point: this runs on the export's own thread, never on a request's.
        var result = flush.IsCompletedSuccessfully ? flush.Result : flush.AsTask().GetAwaiter().GetResult();
        if (result.IsCompleted || result.IsCanceled)
        {
            throw new OperationCanceledException("The spreadsheet's reader has gone (the client left or the copy failed).");
        }
    }

    /// <summary>Every write is flushed to the pipe already.</summary>
    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}

using System.Buffers;

namespace Routescope.Gateway.Inspection.Buffering;

/// <summary>
/// A request body read once, bounded: pooled 64 KB arrays up to a threshold, a delete-on-close temp file (scanned
/// through a memory map) beyond it. Validation scans it in place and every forwarding attempt replays it.
/// </summary>
internal sealed class RequestBody : IAsyncDisposable
{
    private const int SegmentSize = 64 * 1024;

    private readonly BufferSegment? _first;
    private readonly FileStream? _file;
    private readonly MappedMemory? _mapped;

    private RequestBody(ReadOnlySequence<byte> sequence, BufferSegment? first, FileStream? file, MappedMemory? mapped)
    {
        Sequence = sequence;
        _first = first;
        _file = file;
        _mapped = mapped;
    }

    public ReadOnlySequence<byte> Sequence { get; }

    public long Length => Sequence.Length;

    /// <summary>True when the body was spilled to a temp file.</summary>
    public bool IsFileBacked => _file is not null;

    /// <summary>The temporary file holding a large body, for tests that check it is gone after disposal.</summary>
    internal string? FilePath => _file?.Name;

    public Stream OpenRead() => new SequenceStream(Sequence);

    /// <summary>Reads the whole body; null when it is longer than <paramref name="maxBytes"/> (reading stops there).</summary>
    public static async Task<RequestBody?> ReadAsync(Stream source, long maxBytes, int memoryThreshold, CancellationToken cancellationToken)
    {
        BufferSegment? first = null;
        BufferSegment? last = null;
        long total = 0;
        try
        {
            while (true)
            {
                var array = ArrayPool<byte>.Shared.Rent(SegmentSize);
                var filled = 0;
                int read;
                while (filled < array.Length && (read = await source.ReadAsync(array.AsMemory(filled), cancellationToken)) > 0)
                {
                    filled += read;
                }

                if (filled == 0)
                {
                    ArrayPool<byte>.Shared.Return(array);
                    break;
                }

                last = new BufferSegment(array, filled, last);
                first ??= last;
                total += filled;
                if (total > maxBytes)
                {
                    Release(first);
                    return null;
                }

                if (total > memoryThreshold)
                {
                    // The spill owns the segments from here on, including returning them to the pool.
                    var spilled = first;
                    first = null;
                    return await SpillAsync(source, spilled, total, maxBytes, cancellationToken);
                }

                if (filled < array.Length)
                {
                    break;
                }
            }
        }
        catch
        {
            Release(first);
            throw;
        }

        var sequence = first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
        return new RequestBody(sequence, first, null, null);
    }

    private static async Task<RequestBody?> SpillAsync(Stream source, BufferSegment? first, long total, long maxBytes, CancellationToken cancellationToken)
    {
        // No FileStream buffer (bufferSize 0): writes go out in full 64 KB pooled blocks, and the 64 KB buffer
        // FileStream would allocate per request is the largest allocation of a spilled request otherwise.
        var file = new FileStream(Path.Combine(Path.GetTempPath(), "rsg-body-" + Guid.NewGuid().ToString("N")),
            FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 0, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            for (ReadOnlySequenceSegment<byte>? segment = first; segment is not null; segment = segment.Next)
            {
                await file.WriteAsync(segment.Memory, cancellationToken);
            }

            Release(first);
            first = null;
            var buffer = ArrayPool<byte>.Shared.Rent(SegmentSize);
            try
            {
                var filled = 0;
                int read;
                while ((read = await source.ReadAsync(buffer.AsMemory(filled), cancellationToken)) > 0)
                {
                    total += read;
                    if (total > maxBytes)
                    {
                        await file.DisposeAsync();
                        return null;
                    }

                    // Network reads are small; unbuffered writes go out only in whole blocks.
                    filled += read;
                    if (filled == buffer.Length)
                    {
                        await file.WriteAsync(buffer, cancellationToken);
                        filled = 0;
                    }
                }

                await file.WriteAsync(buffer.AsMemory(0, filled), cancellationToken);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            await file.FlushAsync(cancellationToken);
            var mapped = new MappedMemory(file, checked((int)total));
            return new RequestBody(new ReadOnlySequence<byte>(mapped.Memory), null, file, mapped);
        }
        catch
        {
            Release(first);
            await file.DisposeAsync();
            throw;
        }
    }

    private static void Release(BufferSegment? first)
    {
        for (var segment = first; segment is not null; segment = (BufferSegment?)segment.Next)
        {
            ArrayPool<byte>.Shared.Return(segment.Array);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Release(_first);
        ((IDisposable?)_mapped)?.Dispose();
        if (_file is not null)
        {
            await _file.DisposeAsync();
        }
    }
}

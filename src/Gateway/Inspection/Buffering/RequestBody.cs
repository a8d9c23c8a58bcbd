using System.Buffers;

namespace Routescope.Gateway.Inspection.Buffering;

/// <summary>
/// A request body read once, bounded: pooled 64 KB arrays up to a threshold, a delete-on-close temp file (scanned
/// through a memory map) beyond it, its bytes reserved in the <see cref="TempSpace"/> until disposed. Validation scans
/// it in place and every forwarding attempt replays it.
/// </summary>
internal sealed class RequestBody : IAsyncDisposable
{
    private const int SegmentSize = 64 * 1024;

    // A body of unknown length reserves its temp space in steps this large, as it grows.
    private const long ReservationStep = 1024 * 1024;

    private readonly BufferSegment? _first;
    private readonly FileStream? _file;
    private readonly MappedMemory? _mapped;
    private readonly TempSpace? _space;
    private readonly long _reserved;

    private RequestBody(ReadOnlySequence<byte> sequence, BufferSegment? first, FileStream? file, MappedMemory? mapped, TempSpace? space = null, long reserved = 0)
    {
        Sequence = sequence;
        _first = first;
        _file = file;
        _mapped = mapped;
        _space = space;
        _reserved = reserved;
    }

    public ReadOnlySequence<byte> Sequence { get; }

    public long Length => Sequence.Length;

    /// <summary>True when the body was spilled to a temp file.</summary>
    public bool IsFileBacked => _file is not null;

    /// <summary>The temporary file holding a large body, for tests that check it is gone after disposal.</summary>
    internal string? FilePath => _file?.Name;

    public Stream OpenRead() => new SequenceStream(Sequence);

    /// <summary>Reads the whole body, spilling to the system temp directory without a bound; null when it is longer than <paramref name="maxBytes"/>.</summary>
    public static Task<RequestBody?> ReadAsync(Stream source, long maxBytes, int memoryThreshold, CancellationToken cancellationToken) =>
        ReadAsync(source, maxBytes, memoryThreshold, TempSpace.Unbounded, null, cancellationToken);

    /// <summary>
    /// Reads the whole body; null when it is longer than <paramref name="maxBytes"/> (reading stops there). A body
    /// beyond <paramref name="memoryThreshold"/> reserves its bytes in <paramref name="space"/> (the declared length at
    /// once when there is one) and throws <see cref="TempSpaceRefusedException"/> when they are not there or the
    /// directory refuses the file.
    /// </summary>
    public static async Task<RequestBody?> ReadAsync(Stream source, long maxBytes, int memoryThreshold, TempSpace space, long? declaredLength, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(space);
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
                    return await SpillAsync(source, spilled, total, maxBytes, space, declaredLength, cancellationToken);
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

    private static async Task<RequestBody?> SpillAsync(
        Stream source, BufferSegment? first, long total, long maxBytes, TempSpace space, long? declaredLength, CancellationToken cancellationToken)
    {
        var reservation = new Reservation(space);
        FileStream? file = null;
        try
        {
            reservation.Cover(Math.Max(total, declaredLength ?? 0));
            file = CreateFile(space);
            for (ReadOnlySequenceSegment<byte>? segment = first; segment is not null; segment = segment.Next)
            {
                await WriteAsync(file, segment.Memory, cancellationToken);
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
                        reservation.Release();
                        return null;
                    }

                    reservation.Cover(total);
                    // Network reads are small; unbuffered writes go out only in whole blocks.
                    filled += read;
                    if (filled == buffer.Length)
                    {
                        await WriteAsync(file, buffer, cancellationToken);
                        filled = 0;
                    }
                }

                await WriteAsync(file, buffer.AsMemory(0, filled), cancellationToken);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            MappedMemory mapped;
            try
            {
                await file.FlushAsync(cancellationToken);
                mapped = new MappedMemory(file, checked((int)total));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw DiskRefused(exception);
            }

            return new RequestBody(new ReadOnlySequence<byte>(mapped.Memory), null, file, mapped, space, reservation.Bytes);
        }
        catch
        {
            Release(first);
            if (file is not null)
            {
                await file.DisposeAsync();
            }

            reservation.Release();
            throw;
        }
    }

    private static FileStream CreateFile(TempSpace space)
    {
        try
        {
            Directory.CreateDirectory(space.Directory);
            // No FileStream buffer (bufferSize 0): writes go out in full 64 KB pooled blocks, and the 64 KB buffer
            // FileStream would allocate per request is the largest allocation of a spilled request otherwise.
            var path = Path.Combine(space.Directory, "rsg-body-" + Guid.NewGuid().ToString("N"));
            var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 0,
                FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            if (!OperatingSystem.IsWindows())
            {
                // Unlinked at once, kept through the open handle: a process killed with -9 leaves no body behind in a
                // temp directory that outlives it (a volume, an emptyDir across container restarts).
                File.Delete(path);
            }

            return file;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw DiskRefused(exception);
        }
    }

    /// <summary>A write to the temp file; the file system's refusal (ENOSPC above all) becomes the space's, never the client's read error.</summary>
    private static async ValueTask WriteAsync(FileStream file, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        try
        {
            await file.WriteAsync(bytes, cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw DiskRefused(exception);
        }
    }

    private static TempSpaceRefusedException DiskRefused(Exception exception) =>
        new("The temp directory refused the request body (" + exception.GetType().Name + ").", neverFits: false, exception);

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
            _space?.Release(_reserved);
        }
    }

    /// <summary>The temp space one spilling body holds, grown as the body grows, in steps.</summary>
    private sealed class Reservation(TempSpace space)
    {
        public long Bytes { get; private set; }

        /// <summary>Makes sure <paramref name="needed"/> bytes are reserved, or throws.</summary>
        public void Cover(long needed)
        {
            if (needed <= Bytes)
            {
                return;
            }

            if (needed > space.MaxBytes)
            {
                throw new TempSpaceRefusedException($"The request body alone is larger than the {space.MaxBytes} bytes of temp space (Limits:MaxTempBytes).", neverFits: true);
            }

            // Whole steps where they fit, so a growing body does not reserve per read; exactly what it needs otherwise.
            var step = Math.Min(space.MaxBytes, Math.Max(needed, Bytes + ReservationStep));
            if (space.TryReserve(step - Bytes))
            {
                Bytes = step;
                return;
            }

            if (!space.TryReserve(needed - Bytes))
            {
                throw new TempSpaceRefusedException($"The temp space (Limits:MaxTempBytes, {space.MaxBytes} bytes) is taken by other requests' bodies.", neverFits: false);
            }

            Bytes = needed;
        }

        public void Release()
        {
            space.Release(Bytes);
            Bytes = 0;
        }
    }
}

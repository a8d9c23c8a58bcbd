using System.Buffers;

namespace Routescope.Gateway.Metering.Scanning;

/// <summary>
/// Copies the raw bytes of one <c>usageMetadata</c> object as it streams past, from its '{' to the matching '}', so it
/// can be read whole with a real JSON reader. The object is small; one larger than <see cref="MaxBytes"/> is still
/// followed to its end, so the scan resumes in the right place, but is not kept. The buffer is pooled and reused for
/// every block of the response.
/// </summary>
internal sealed class UsageCapture : IDisposable
{
    /// <summary>Largest block kept; Gemini's are a few hundred bytes.</summary>
    public const int MaxBytes = 64 * 1024;

    private const int InitialBytes = 1024;

    private static readonly SearchValues<byte> Structure = SearchValues.Create("\"{}"u8);

    private byte[]? _buffer;
    private int _length;
    private int _depth;
    private bool _inString;
    private bool _escaped;

    /// <summary>True once the object's closing brace was taken.</summary>
    public bool Closed => _depth == 0;

    /// <summary>True when the object outgrew <see cref="MaxBytes"/>: <see cref="Captured"/> is then not the object.</summary>
    public bool Overflowed { get; private set; }

    /// <summary>The object's bytes, once <see cref="Closed"/>.</summary>
    public ReadOnlySpan<byte> Captured => _buffer.AsSpan(0, _length);

    /// <summary>Starts a block: its opening brace has just been read.</summary>
    public void Begin()
    {
        _buffer ??= ArrayPool<byte>.Shared.Rent(InitialBytes);
        _buffer[0] = (byte)'{';
        _length = 1;
        _depth = 1;
        _inString = false;
        _escaped = false;
        Overflowed = false;
    }

    /// <summary>Takes the block's bytes from the start of <paramref name="chunk"/>: all of it, or up to the closing brace.</summary>
    /// <returns>How many bytes were taken.</returns>
    public int Take(ReadOnlySpan<byte> chunk)
    {
        var i = 0;
        while (i < chunk.Length)
        {
            if (_escaped)
            {
                _escaped = false;
                i++;
                continue;
            }

            var rest = chunk[i..];
            var stop = _inString ? rest.IndexOfAny((byte)'"', (byte)'\\') : rest.IndexOfAny(Structure);
            if (stop < 0)
            {
                i = chunk.Length;
                break;
            }

            i += stop;
            switch (chunk[i++])
            {
                case (byte)'\\':
                    _escaped = true;
                    break;
                case (byte)'"':
                    _inString = !_inString;
                    break;
                case (byte)'{':
                    _depth++;
                    break;
                default:
                    if (--_depth == 0)
                    {
                        Keep(chunk[..i]);
                        return i;
                    }

                    break;
            }
        }

        Keep(chunk[..i]);
        return i;
    }

    /// <summary>Forgets an unfinished block (its event ended first).</summary>
    public void Abandon()
    {
        _depth = 0;
        _length = 0;
    }

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            _length = 0;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Keep(ReadOnlySpan<byte> bytes)
    {
        if (Overflowed)
        {
            return;
        }

        if (_length + bytes.Length > MaxBytes)
        {
            Overflowed = true;
            return;
        }

        if (_length + bytes.Length > _buffer!.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Min(MaxBytes, Math.Max(_buffer.Length * 2, _length + bytes.Length)));
            _buffer.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }
}

namespace Routescope.Gateway.Metering.Decoding;

/// <summary>
/// Undoes a response's content coding on a copy of its bytes, as they arrive: push-model, since the tap only ever
/// sees the chunks the forwarder writes. Memory stays the same whatever the body size: pooled buffers, no body kept.
/// </summary>
internal abstract class ContentDecoder : IDisposable
{
    /// <summary>Size of the pooled buffer decoded bytes are handed on in.</summary>
    protected const int OutputSize = 16 * 1024;

    /// <summary>The decoder for a coding; null for identity, which needs none.</summary>
    public static ContentDecoder? For(ContentCoding coding) => coding switch
    {
        ContentCoding.Gzip or ContentCoding.Deflate => new InflatingDecoder(coding),
        ContentCoding.Brotli => new BrotliContentDecoder(),
        ContentCoding.Identity => null,
        _ => throw new ArgumentOutOfRangeException(nameof(coding), coding, "no decoder for this coding"),
    };

    /// <summary>
    /// Decodes the next chunk of the body as it went over the wire and feeds what it yields to <paramref name="decoded"/>.
    /// Throws <see cref="InvalidDataException"/> when the stream is corrupt. Bytes after the end of the compressed
    /// stream are not body and are ignored.
    /// </summary>
    public abstract void Decode(ReadOnlySpan<byte> encoded, IBodyReader decoded);

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Returns the pooled buffers and the native decoder state; safe to call twice.</summary>
    protected abstract void Dispose(bool disposing);
}

using System.IO.Compression;

namespace Routescope.Fake;

/// <summary>The Content-Encoding label and the encoding stream of each <see cref="ContentCoding"/>.</summary>
internal static class ContentCodingStreams
{
    /// <summary>The Content-Encoding value, null for identity (no header).</summary>
    public static string? Label(ContentCoding coding) => coding switch
    {
        ContentCoding.Gzip => "gzip",
        ContentCoding.Deflate or ContentCoding.RawDeflate => "deflate",
        ContentCoding.Brotli => "br",
        ContentCoding.UnreadableZstd => "zstd",
        _ => null,
    };

    /// <summary>
    /// A stream that encodes into <paramref name="inner"/> and leaves it open; disposing it writes the trailer.
    /// Fastest levels: the fake shares two cores with the gateway under test, and ratio is not what is tested.
    /// </summary>
    public static Stream Encoder(ContentCoding coding, Stream inner) => coding switch
    {
        ContentCoding.Gzip => new GZipStream(inner, CompressionLevel.Fastest, leaveOpen: true),
        ContentCoding.Deflate => new ZLibStream(inner, CompressionLevel.Fastest, leaveOpen: true),
        ContentCoding.RawDeflate => new DeflateStream(inner, CompressionLevel.Fastest, leaveOpen: true),
        ContentCoding.Brotli => new BrotliStream(inner, CompressionLevel.Fastest, leaveOpen: true),
        ContentCoding.UnreadableZstd => new UnreadableZstdStream(inner),
        _ => throw new ArgumentOutOfRangeException(nameof(coding), coding, "identity needs no encoder"),
    };
}

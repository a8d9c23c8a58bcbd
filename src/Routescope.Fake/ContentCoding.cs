namespace Routescope.Fake;

/// <summary>The body encodings the fake can send.</summary>
internal enum ContentCoding
{
    Identity,
    Gzip,

    /// <summary>zlib (RFC 1950): what <c>Content-Encoding: deflate</c> means.</summary>
    Deflate,

    /// <summary>Raw deflate (RFC 1951) under the <c>deflate</c> label, a common server mistake.</summary>
    RawDeflate,
    Brotli,

    /// <summary>Labelled zstd, not decodable: the gateway must notice it cannot read the body.</summary>
    UnreadableZstd,
}

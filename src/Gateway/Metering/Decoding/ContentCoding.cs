namespace Routescope.Gateway.Metering.Decoding;

/// <summary>How a response body is encoded on the wire, as far as metering can undo it.</summary>
internal enum ContentCoding : byte
{
    /// <summary>No encoding, or only <c>identity</c>.</summary>
    Identity,

    /// <summary><c>gzip</c> or <c>x-gzip</c> (RFC 1952).</summary>
    Gzip,

    /// <summary><c>deflate</c>: zlib-wrapped as RFC 9110 says, or raw as some servers send it.</summary>
    Deflate,

    /// <summary><c>br</c> (RFC 7932).</summary>
    Brotli,

    /// <summary>Anything else, or more than one coding stacked: the body cannot be read.</summary>
    Unsupported,
}

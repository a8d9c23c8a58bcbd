namespace Routescope.Gateway.Upstream;

/// <summary>
/// Which answer encodings the gateway lets the upstream choose from (<c>Upstream:AcceptEncoding</c>). Metering reads a
/// decoded copy of any gzip, deflate or br answer in both modes: an upstream that compresses regardless is still billed.
/// </summary>
internal enum UpstreamEncoding
{
    /// <summary>The client's <c>Accept-Encoding</c> goes upstream; metering reads a decoded copy of a compressed answer.</summary>
    Passthrough,

    /// <summary>The upstream is asked for <c>identity</c>: answers cross the gateway uncompressed, whatever the client accepts.</summary>
    Identity,
}

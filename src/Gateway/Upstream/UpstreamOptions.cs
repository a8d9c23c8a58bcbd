namespace Routescope.Gateway.Upstream;

/// <summary>
/// The Routescope upstream. Address and key come from the environment (<c>ROUTESCOPE_BASE_URL</c>,
/// <c>ROUTESCOPE_API_KEY</c>); the rest of the forwarding setup is the YARP <c>ReverseProxy</c> section.
/// </summary>
internal sealed class UpstreamOptions
{
    public const string SectionName = "Upstream";

    /// <summary>The YARP cluster whose destinations are the Routescope relay.</summary>
    public string ClusterId { get; set; } = "routescope";

    /// <summary>Overrides every destination address of <see cref="ClusterId"/> when set.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>Sent upstream as <c>Authorization: Bearer</c>. Without it the gateway refuses to serve outside Development unless in demo mode (see <see cref="UpstreamMode"/>).</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// <c>Identity</c> (default): the upstream is asked not to compress, which the benchmark found the cheaper way to
    /// meter; <c>Passthrough</c>: the client's Accept-Encoding (its readable codings) reaches the upstream and metering
    /// decodes a copy. Either way a compressed answer is metered and reaches the client as the upstream sent it.
    /// </summary>
    public UpstreamEncoding AcceptEncoding { get; set; } = UpstreamEncoding.Identity;
}

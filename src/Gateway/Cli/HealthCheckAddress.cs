using Routescope.Gateway.Hosting;
using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Cli;

/// <summary>
/// Where <c>healthcheck</c> finds the gateway's own <c>/healthz</c>: the first public address the server binds
/// (<see cref="ListenDefaults.PublicAddresses"/>, the server's own reading of the settings), with a wildcard host
/// reached on the IPv4 loopback. Plain http is probed first when the server also listens on https: a probe has no
/// certificate to trust.
/// </summary>
internal static class HealthCheckAddress
{
    private static readonly string[] WildcardHosts = ["*", "+", "0.0.0.0", "[::]", "::", ""];

    /// <summary>The <c>/healthz</c> address, or null with the reason when the settings name none that can be probed.</summary>
    public static (Uri? Address, string? Problem) Resolve(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var addresses = ListenDefaults.PublicAddresses(configuration);
        foreach (var url in addresses.OrderBy(url => url.StartsWith("https:", StringComparison.OrdinalIgnoreCase) ? 1 : 0))
        {
            if (Probe(url) is { } address)
            {
                return (address, null);
            }
        }

        return (null, $"The listen settings ('{string.Join(';', addresses)}') name no address with a fixed port to probe; pass --url.");
    }

    /// <summary>An address given with <c>--url</c>: a base address (<c>/healthz</c> is appended) or the full one.</summary>
    public static (Uri? Address, string? Problem) FromOption(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return (null, $"--url '{url}' is not an absolute http(s) address.");
        }

        return uri.AbsolutePath is "/" or "" ? (Health(new UriBuilder(uri)), null) : (uri, null);
    }

    /// <summary>The <c>/healthz</c> of one listen address (parsed as Kestrel parses it), or null when it has no fixed http(s) port.</summary>
    private static Uri? Probe(string url)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            return null;
        }

        if (address.IsUnixPipe || address.IsNamedPipe || address.Scheme is not ("http" or "https") || address.Port is <= 0 or > 65535)
        {
            return null;
        }

        var host = WildcardHosts.Contains(address.Host, StringComparer.Ordinal) ? "127.0.0.1" : address.Host.Trim('[', ']');
        return Uri.CheckHostName(host) == UriHostNameType.Unknown ? null : Health(new UriBuilder(address.Scheme, host, address.Port));
    }

    private static Uri Health(UriBuilder address)
    {
        address.Path = HealthExtensions.LivenessPath;
        address.Query = string.Empty;
        return address.Uri;
    }
}

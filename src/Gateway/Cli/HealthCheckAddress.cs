using System.Globalization;

using Routescope.Gateway.Hosting;

namespace Routescope.Gateway.Cli;

/// <summary>
/// Where <c>healthcheck</c> finds the gateway's own <c>/healthz</c>: the public address the server binds, read from
/// the same settings and in the same order of precedence (<c>Urls</c> / <c>ASPNETCORE_URLS</c>, then
/// <c>ASPNETCORE_HTTP_PORTS</c>, then <c>Kestrel:Endpoints</c>, else <see cref="ListenDefaults.Default"/>), with a
/// wildcard host reached on the IPv4 loopback. Only plain http is probed when the server also listens on https:
/// a probe has no certificate to trust.
/// </summary>
internal static class HealthCheckAddress
{
    public const string HealthPath = "/healthz";

    private static readonly string[] WildcardHosts = ["*", "+", "0.0.0.0", "[::]", "::", ""];

    /// <summary>The <c>/healthz</c> address, or null with the reason when the settings name none that can be probed.</summary>
    public static (Uri? Address, string? Problem) Resolve(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration["urls"] is { } urls && !string.IsNullOrWhiteSpace(urls))
        {
            return FromUrls(urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), "Urls");
        }

        if (configuration["http_ports"] is { } ports && !string.IsNullOrWhiteSpace(ports))
        {
            var first = ports.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
            return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
                ? (Health(new UriBuilder(Uri.UriSchemeHttp, "127.0.0.1", port)), null)
                : (null, $"ASPNETCORE_HTTP_PORTS '{ports}' names no port to probe.");
        }

        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Select(endpoint => endpoint["Url"]).OfType<string>().ToArray();
        return endpoints.Length > 0 ? FromUrls(endpoints, "Kestrel:Endpoints") : FromUrls([ListenDefaults.Default], "the default");
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

    private static (Uri? Address, string? Problem) FromUrls(IReadOnlyList<string> urls, string source)
    {
        // http first: see the class comment. A bare "http://*:8080" is not a valid Uri, so the host is swapped as text.
        foreach (var url in urls.OrderBy(url => url.StartsWith("https:", StringComparison.OrdinalIgnoreCase) ? 1 : 0))
        {
            var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
            if (schemeEnd <= 0)
            {
                continue;
            }

            var scheme = url[..schemeEnd].ToLowerInvariant();
            var rest = url[(schemeEnd + 3)..];
            var authority = rest.Split('/', 2)[0];
            var colon = authority.LastIndexOf(':');
            if (colon < 0 || authority.EndsWith(']'))
            {
                continue;
            }

            var host = authority[..colon];
            if (!int.TryParse(authority[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is <= 0 or > 65535)
            {
                continue;
            }

            if (WildcardHosts.Contains(host, StringComparer.Ordinal))
            {
                host = "127.0.0.1";
            }

            if (scheme is "http" or "https" && Uri.CheckHostName(host.Trim('[', ']')) != UriHostNameType.Unknown)
            {
                return (Health(new UriBuilder(scheme, host.Trim('[', ']'), port)), null);
            }
        }

        return (null, $"{source} ('{string.Join(';', urls)}') names no address with a fixed port to probe; pass --url.");
    }

    private static Uri Health(UriBuilder address)
    {
        address.Path = HealthPath;
        address.Query = string.Empty;
        return address.Uri;
    }
}

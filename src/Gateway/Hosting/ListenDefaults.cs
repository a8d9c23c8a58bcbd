namespace Routescope.Gateway.Hosting;

/// <summary>
/// Where the gateway listens when nothing says: <see cref="Default"/>. The standard settings decide whenever one is
/// set: <c>ASPNETCORE_URLS</c> / <c>Urls</c>, <c>ASPNETCORE_HTTP_PORTS</c> / <c>ASPNETCORE_HTTPS_PORTS</c> (what
/// container platforms and the .NET base images set), <c>--urls</c>, or <c>Kestrel:Endpoints</c>. The default is
/// therefore not written in appsettings.json: a <c>Urls</c> there would override the platform's variables.
/// </summary>
internal static class ListenDefaults
{
    public const string Default = "http://0.0.0.0:8080";

    private static readonly string[] StandardKeys = ["urls", "http_ports", "https_ports"];

    public static WebApplicationBuilder UseListenDefaults(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var configured = StandardKeys.Any(key => !string.IsNullOrWhiteSpace(configuration[key])) || configuration.GetSection("Kestrel:Endpoints").Exists();
        if (!configured)
        {
            builder.WebHost.UseUrls(Default);
        }

        return builder;
    }
}

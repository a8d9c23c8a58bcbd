using System.Globalization;

namespace Routescope.Gateway.Hosting;

/// <summary>
/// Where the gateway listens when nothing says: <see cref="Default"/>. The standard settings decide whenever one is
/// set: <c>ASPNETCORE_URLS</c> / <c>Urls</c>, <c>ASPNETCORE_HTTP_PORTS</c> / <c>ASPNETCORE_HTTPS_PORTS</c> (what
/// container platforms and the .NET base images set), <c>--urls</c>, or <c>Kestrel:Endpoints</c>. The default is
/// therefore not written in appsettings.json: a <c>Urls</c> there would override the platform's variables.
/// <c>Admin:Urls</c> adds the admin addresses to whichever of these decided.
/// </summary>
internal static class ListenDefaults
{
    public const string Default = "http://0.0.0.0:8080";

    private static readonly string[] StandardKeys = ["urls", "http_ports", "https_ports"];

    public static WebApplicationBuilder UseListenDefaults(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var endpoints = configuration.GetSection("Kestrel:Endpoints").Exists();
        var configured = StandardKeys.Any(key => !string.IsNullOrWhiteSpace(configuration[key])) || endpoints;
        var plan = new ListenPlan { Public = endpoints ? [] : PublicAddresses(configuration), Admin = ListenPlan.Split(configuration[ListenPlan.AdminUrlsSetting]) };
        builder.Services.AddOptions<ListenPlan>()
            .Configure(options => (options.Public, options.Admin) = (plan.Public, plan.Admin))
            .Validate(options => options.Problem is null, plan.Problem ?? "Admin:Urls is not valid.")
            .ValidateOnStart();

        if (plan.SeparateAdmin && plan.Problem is null)
        {
            if (endpoints)
            {
                // Kestrel:Endpoints override every URL setting, so the admin addresses join them as endpoints.
                builder.Configuration.AddInMemoryCollection(plan.Admin.Select((url, i) =>
                    KeyValuePair.Create<string, string?>(string.Create(CultureInfo.InvariantCulture, $"Kestrel:Endpoints:Admin{i}:Url"), url)));
            }
            else
            {
                builder.WebHost.UseUrls([.. plan.Public, .. plan.Admin]);
            }
        }
        else if (!configured)
        {
            builder.WebHost.UseUrls(Default);
        }

        return builder;
    }

    /// <summary>
    /// The public addresses as the server binds them: <c>Kestrel:Endpoints</c> when configured (they override every URL
    /// setting), else the URLs, else the ports (as <c>http://*:port</c>), else the default. Also what <c>healthcheck</c> probes.
    /// </summary>
    public static IReadOnlyList<string> PublicAddresses(IConfiguration configuration)
    {
        var endpoints = configuration.GetSection("Kestrel:Endpoints");
        if (endpoints.Exists())
        {
            return [.. endpoints.GetChildren().Select(endpoint => endpoint["Url"]).OfType<string>()];
        }

        if (ListenPlan.Split(configuration["urls"]) is { Count: > 0 } urls)
        {
            return urls;
        }

        var ports = ListenPlan.Split(configuration["http_ports"]).Select(port => "http://*:" + port)
            .Concat(ListenPlan.Split(configuration["https_ports"]).Select(port => "https://*:" + port))
            .ToArray();
        return ports.Length > 0 ? ports : [Default];
    }
}

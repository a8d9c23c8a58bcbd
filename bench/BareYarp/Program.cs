using Yarp.ReverseProxy.Configuration;

// The benchmark's reference: YARP and Kestrel as the gateway uses them (same versions, routes, timeouts), with
// none of the gateway's own steps. A separate host rather than a switch in the gateway: a switch that turns off
// authentication in the production binary would be one configuration mistake away from an open relay.
//   dotnet BareYarp.dll <listen-url> <upstream-url>
// The gateway's one host setting (a shared ArrayPool sized for concurrent large copies), from the same source file.
Routescope.Gateway.Hosting.SharedBufferPool.Configure();

var listen = args.Length > 0 ? args[0] : "http://127.0.0.1:8091";
var upstream = args.Length > 1 ? args[1] : "http://127.0.0.1:8090";

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseUrls(listen);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
    kestrel.AddServerHeader = false;
});
builder.Services.AddReverseProxy().LoadFromMemory(
    [
        new RouteConfig { RouteId = "gemini", ClusterId = "routescope", Match = new RouteMatch { Path = "/v1beta/{**rest}" } },
    ],
    [
        new ClusterConfig
        {
            ClusterId = "routescope",
            HttpRequest = new Yarp.ReverseProxy.Forwarder.ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromMinutes(5) },
            Destinations = new Dictionary<string, DestinationConfig> { ["primary"] = new() { Address = upstream } },
        },
    ]);

var app = builder.Build();
app.MapReverseProxy();
await app.RunAsync();

using Routescope.Gateway.Admin;
using Routescope.Gateway.Catalog;
using Routescope.Gateway.Cli;
using Routescope.Gateway.Errors;
using Routescope.Gateway.Fallback;
using Routescope.Gateway.Hosting;
using Routescope.Gateway.Inspection;
using Routescope.Gateway.Keys;
using Routescope.Gateway.Observability;
using Routescope.Gateway.Storage;
using Routescope.Gateway.Upstream;
using Routescope.Gateway.Usage;

SharedBufferPool.Configure();
var commandLine = GatewayCli.IsCommand(args);
// CLI arguments are not configuration: keep `--name x` out of IConfiguration.
var builder = WebApplication.CreateBuilder(commandLine ? [] : args);
builder.AddGatewayLogging(commandLine);
builder.AddGatewayHosting();
builder.Services
    .AddGeminiErrors()
    .AddGatewayStore(builder.Configuration)
    .AddGatewayKeys(builder.Configuration)
    .AddGatewayAdmin(builder.Configuration)
    .AddModelCatalog(builder.Configuration)
    .AddRequestInspection()
    .AddGatewayFallback(builder.Configuration)
    .AddGatewayUsage(builder.Configuration)
    .AddGatewayUpstream(builder.Configuration)
    .AddGatewayTelemetry(builder.Configuration);

var app = builder.Build();
if (commandLine)
{
    return await GatewayCli.RunAsync(app.Services, args, Console.Out, Console.Error, app.Lifetime.ApplicationStopping);
}

await app.StartUpstreamAsync();

app.UseRequestIds();
app.UseGatewayRequestLogging();
app.UseGeminiErrors();
app.UseAuthentication();
app.UseAuthorization();
app.UseRequestTimeouts();

app.MapGatewayHealth();
app.MapGatewayMetrics();
app.MapAdminApi();
app.MapReverseProxy(proxy =>
{
    proxy.UseGeminiPathGuard();
    proxy.UseRequestInspection();
    proxy.UseMetering();
    proxy.UseUpstreamErrors();
    proxy.UseFallback();
    // Inside the attempt loop, so each attempt picks a live destination of the cluster.
    proxy.UseSessionAffinity();
    proxy.UseLoadBalancing();
    proxy.UsePassiveHealthChecks();
});
app.MapGeminiNotFound();

await app.RunAsync();
return 0;

/// <summary>Entry point; public so integration tests can host the gateway.</summary>
public partial class Program;

using Routescope.Gateway.Admin;
using Routescope.Gateway.Billing;
using Routescope.Gateway.Catalog;
using Routescope.Gateway.Cli;
using Routescope.Gateway.Errors;
using Routescope.Gateway.Exports;
using Routescope.Gateway.Fallback;
using Routescope.Gateway.Gemini;
using Routescope.Gateway.Hosting;
using Routescope.Gateway.Hygiene;
using Routescope.Gateway.Inspection;
using Routescope.Gateway.Keys;
using Routescope.Gateway.Metering;
using Routescope.Gateway.Observability;
using Routescope.Gateway.Policy;
using Routescope.Gateway.Storage;
using Routescope.Gateway.Upstream;
using Routescope.Gateway.Usage;

// First: the container probe must stay cheap and must not be mistaken for an unknown command.
if (HealthCheckCommand.Matches(args))
{
    return await HealthCheckCommand.RunAsync(args, Console.Out, Console.Error);
}

if (GatewayCli.Refusal(args) is { } refused)
{
    return await GatewayCli.UsageAsync(args, refused, Console.Out, Console.Error);
}

SharedBufferPool.Configure();
var commandLine = GatewayCli.IsCommand(args);
// CLI arguments are not configuration: keep `--name x` out of IConfiguration.
var builder = WebApplication.CreateBuilder(commandLine ? [] : args);
builder.AddGatewayLogging(commandLine);
builder.AddGatewayHosting();
builder.UseListenDefaults();      // port 8080 unless ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS, Urls or --urls say otherwise
builder.AddRequestHygiene();
builder.Services
    .AddGeminiErrors()
    .AddGatewayStore(builder.Configuration)
    .AddGatewayKeys(builder.Configuration)
    .AddGatewayPolicy(builder.Configuration)
    .AddGatewayAdmin(builder.Configuration)
    .AddModelCatalog(builder.Configuration)
    .AddGatewayBilling(builder.Configuration)
    .AddRequestInspection()
    .AddGatewayFallback(builder.Configuration)
    .AddGatewayUsage(builder.Configuration)
    .AddUsageExports()
    .AddGatewayMetering()
    .AddGatewayUpstream(builder.Configuration)
    .AddGatewayTelemetry(builder.Configuration);

var app = builder.Build();
if (commandLine)
{
    return await GatewayCli.RunAsync(app.Services, args, Console.Out, Console.Error, app.Lifetime.ApplicationStopping);
}

// Outside Development, no upstream key and no GATEWAY_DEMO=true: one line on stderr, and no server.
if (app.UpstreamRefusal() is { } refusal)
{
    await Console.Error.WriteLineAsync(refusal);
    return UpstreamMode.RefusedExitCode;
}

// Before the routes are mapped: YARP reads the upstream's address while mapping them.
await app.StartUpstreamAsync();

app.UseRequestIds();               // first: every later line, header and record carries the id
app.UseGatewayRequestLogging();    // outside the error handler, so the line shows the status the client got
app.UseGeminiErrors();
app.UseAdminPort();                // before authentication: with Admin:Urls set, /admin and /metrics do not exist on the public port, nor the proxy on the admin port
app.UseRequestHygiene();           // before authentication: ambiguous framing and unsendable header values are refused with or without a key
app.UseAuthentication();
app.UseAuthorization();            // the route's policy: no gateway key, no proxying
app.UseRateLimiter();              // after authorization: the limits are the authenticated key's
app.UseRequestTimeouts();
app.UseRouteDeadline();            // inside the timeouts: a route's deadline answers a Gemini 504, not an empty one

app.MapGatewayHealth();
app.MapGatewayMetrics();
app.MapAdminApi();
app.MapReverseProxy(proxy =>
{
    proxy.UseGeminiPathGuard();    // first: unknown paths stop here; creates the request object every later step reads
    proxy.UseKeyPolicy();          // a disabled key or a model off its allow-list stops here, before the body is read
    proxy.UseModelListFilter();    // the model list shows only the models the key may use
    proxy.UseRequestInspection();  // before metering: a request refused here reaches no upstream and costs nothing
    proxy.UseUsageDurability();    // before metering: while usage cannot be kept durably, nothing billable starts
    proxy.UseBudgets();            // after the gate, before metering: a reservation is only taken for a request that will be recorded
    proxy.UseMetering();           // outside the attempt loop: exactly one record per request, whatever the attempts did
    proxy.UseUpstreamErrors();     // outside the loop: only the last attempt's failure becomes the client's error
    proxy.UseFallback();           // the attempt loop: every step below runs once per attempt
    proxy.UseAttemptOutcomes();    // judges each attempt once, when the forwarder returns
    proxy.UseSessionAffinity();    // inside the loop, so each attempt picks a live destination of the cluster
    proxy.UseLoadBalancing();
    proxy.UsePassiveHealthChecks();
});
app.MapGeminiNotFound();

await app.RunAsync();
return 0;

/// <summary>Entry point; public so integration tests can host the gateway.</summary>
public partial class Program;

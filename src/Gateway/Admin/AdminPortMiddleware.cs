using Microsoft.Extensions.Options;

using Routescope.Gateway.Errors;
using Routescope.Gateway.Hosting;
using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Admin;

/// <summary>
/// With <c>Admin:Urls</c> set, the two sides never mix: the admin port serves <c>/admin</c>, the metrics and the health
/// probes only; the public port serves everything but <c>/admin</c> and the metrics, which are a 404 there like any
/// unknown path (whatever the credentials: it runs before authentication). The side is the connection's local port.
/// </summary>
internal sealed class AdminPortMiddleware(RequestDelegate next, IOptions<ListenPlan> listen, IOptions<TelemetryOptions> telemetry)
{
    private const string NotFound = "No such endpoint on this gateway.";

    private readonly IReadOnlySet<int> _adminPorts = listen.Value.AdminPorts;
    private readonly TelemetryOptions _telemetry = telemetry.Value;

    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (HealthExtensions.IsHealthPath(path))
        {
            return next(context);
        }

        // StartsWithSegments ignores case, as routing does: /ADMIN/keys is /admin/keys to the endpoints.
        var adminPath = path.StartsWithSegments(AdminEndpoints.Prefix) || _telemetry.IsMetricsPath(path);
        return adminPath == _adminPorts.Contains(context.Connection.LocalPort)
            ? next(context)
            : GeminiError.WriteAsync(context, StatusCodes.Status404NotFound, NotFound);
    }
}

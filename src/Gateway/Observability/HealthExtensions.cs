using System.Text.Json;

using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Routescope.Gateway.Observability;

internal static class HealthExtensions
{
    public const string LivenessPath = "/healthz";
    public const string ReadinessPath = "/readyz";

    /// <summary><c>/healthz</c>: the process serves. <c>/readyz</c>: it can do its work (store reachable). Both anonymous.</summary>
    public static WebApplication MapGatewayHealth(this WebApplication app)
    {
        app.MapHealthChecks(LivenessPath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        app.MapHealthChecks(ReadinessPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(HealthTags.Ready), ResponseWriter = WriteAsync });
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=UTF-8";
        var checks = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, entry) in report.Entries)
        {
            checks[name] = entry.Status == HealthStatus.Healthy ? "ok" : entry.Description ?? entry.Status.ToString();
        }

        var body = new HealthBody(report.Status == HealthStatus.Healthy ? "ok" : "unavailable", checks)
        {
            Mode = context.RequestServices.GetService<GatewayMode>()?.Name,
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body,
            ObservabilityJsonContext.Default.HealthBody, context.RequestAborted);
    }
}

using System.Text.Json;

using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Routescope.Gateway.Observability;

internal static class HealthExtensions
{
    public const string LivenessPath = "/healthz";
    public const string ReadinessPath = "/readyz";

    /// <summary>Whether a request is for <c>/healthz</c> or <c>/readyz</c>.</summary>
    public static bool IsHealthPath(PathString path) => path.StartsWithSegments(LivenessPath) || path.StartsWithSegments(ReadinessPath);

    /// <summary>
    /// <c>/healthz</c>: the process serves. <c>/readyz</c>: this replica can serve: 200 with <c>"ok"</c>, 200 with
    /// <c>"degraded"</c> while it serves around a problem the body names (the store out, usage waiting in the journal),
    /// 503 with <c>"unavailable"</c> only when it cannot (draining, no store and no cached key, usage that can be neither
    /// stored nor journaled). Both anonymous.
    /// </summary>
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
            checks[name] = entry.Status == HealthStatus.Healthy ? "ok" : entry.Description ?? StatusWord(entry.Status);
        }

        var body = new HealthBody(StatusWord(report.Status), checks)
        {
            Mode = context.RequestServices.GetService<GatewayMode>()?.Name,
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body,
            ObservabilityJsonContext.Default.HealthBody, context.RequestAborted);
    }

    /// <summary>The word for a status, agreeing with the HTTP status the endpoint answers with (503 only for unavailable).</summary>
    public static string StatusWord(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "ok",
        HealthStatus.Degraded => "degraded",
        _ => "unavailable",
    };
}

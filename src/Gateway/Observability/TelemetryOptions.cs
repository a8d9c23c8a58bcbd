namespace Routescope.Gateway.Observability;

/// <summary>
/// The <c>Telemetry</c> section. Where OTLP goes is not here but in the standard OpenTelemetry variables
/// (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, <c>OTEL_EXPORTER_OTLP_HEADERS</c>), which
/// collectors' own documentation tells ops to set.
/// </summary>
internal sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>The <c>service.name</c> resource attribute on every exported metric and span.</summary>
    public string ServiceName { get; set; } = "routescope-gateway";

    /// <summary>Path of the Prometheus scraping endpoint; empty turns it off.</summary>
    public string MetricsPath { get; set; } = "/metrics";

    /// <summary>Whether a request is for the scraping endpoint (never, when it is off).</summary>
    public bool IsMetricsPath(PathString path) => MetricsPath.Length > 0 && path.StartsWithSegments(MetricsPath);
}

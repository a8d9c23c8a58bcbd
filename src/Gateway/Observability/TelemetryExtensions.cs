using Microsoft.Extensions.Options;

using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Routescope.Gateway.Observability;

internal static class TelemetryExtensions
{
    /// <summary>The standard variable that turns OTLP export on; without it nothing leaves the process.</summary>
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// Metrics (the gateway's meter, ASP.NET Core, Kestrel, outgoing HTTP, the runtime) for Prometheus at
    /// <see cref="TelemetryOptions.MetricsPath"/>, and, when an OTLP endpoint is configured, metrics and traces to it.
    /// </summary>
    public static IServiceCollection AddGatewayTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TelemetryOptions>()
            .Bind(configuration.GetSection(TelemetryOptions.SectionName))
            .Validate(options => !string.IsNullOrWhiteSpace(options.ServiceName), "Telemetry:ServiceName must not be empty.")
            .Validate(options => options.MetricsPath.Length == 0 || options.MetricsPath.StartsWith('/'),
                "Telemetry:MetricsPath must start with '/' (or be empty to turn the endpoint off).")
            .ValidateOnStart();

        var telemetry = configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var otlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointSetting]);
        var prometheus = telemetry.MetricsPath.Length > 0;
        var builder = services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService(telemetry.ServiceName));

        // Instruments only cost when listened to: with no reader at all, nothing listens.
        if (prometheus || otlp)
        {
            builder.WithMetrics(metrics =>
            {
                metrics.AddMeter(GatewayMeter.Name)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddMeter("System.Runtime");
                if (prometheus)
                {
                    metrics.AddPrometheusExporter();
                }

                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        }

        // Spans cost per request; they are only made when someone collects them.
        if (otlp)
        {
            builder.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsProbe(context, telemetry))
                .AddHttpClientInstrumentation()
                .AddSource("Yarp.ReverseProxy")
                .AddOtlpExporter());
        }

        return services;
    }

    /// <summary>The Prometheus scraping endpoint, anonymous like the health probes (it carries no key, prompt or secret).</summary>
    public static WebApplication MapGatewayMetrics(this WebApplication app)
    {
        var path = app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value.MetricsPath;
        if (path.Length > 0)
        {
            app.MapPrometheusScrapingEndpoint(path);
        }

        return app;
    }

    private static bool IsProbe(HttpContext context, TelemetryOptions telemetry)
    {
        var path = context.Request.Path;
        return HealthExtensions.IsHealthPath(path) || telemetry.IsMetricsPath(path);
    }
}

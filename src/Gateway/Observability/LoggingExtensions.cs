using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Routescope.Gateway.Observability;

internal static class LoggingExtensions
{
    /// <summary>
    /// Serilog JSON lines on stdout (stderr for CLI commands, whose stdout is their output). Levels come from the
    /// <c>Serilog</c> section; sinks registered in DI (tests) receive every event too.
    /// </summary>
    public static WebApplicationBuilder AddGatewayLogging(this WebApplicationBuilder builder, bool commandLine)
    {
        builder.Services.AddSerilog((services, logger) =>
        {
            logger.ReadFrom.Configuration(builder.Configuration)
                .Enrich.FromLogContext()
                .WriteTo.Console(new RenderedCompactJsonFormatter(), standardErrorFromLevel: commandLine ? LogEventLevel.Verbose : null);
            if (commandLine)
            {
                // A command's user reads its own messages; only problems from the services behind it matter.
                logger.MinimumLevel.Warning();
            }

            foreach (var sink in services.GetServices<ILogEventSink>())
            {
                logger.WriteTo.Sink(sink);
            }
        }, preserveStaticLogger: true);
        return builder;
    }

    /// <summary>One line per request: id, key prefix, model, status, upstream status, latency. Never headers or bodies.</summary>
    public static WebApplication UseGatewayRequestLogging(this WebApplication app)
    {
        app.UseSerilogRequestLogging(options =>
        {
            // The static Log is left alone (several gateways may share a test process): log through the host's logger.
            options.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
            options.MessageTemplate = "{RequestMethod:l} {RequestPath:l} responded {StatusCode} in {Elapsed:0.0} ms";
            // The proxy steps add what they learn (key prefix, model, upstream status) to the same line as they go.
            options.EnrichDiagnosticContext = static (diagnostics, http) => diagnostics.Set("RequestId", http.TraceIdentifier);
            options.GetLevel = RequestLogLevel.For;
        });
        return app;
    }

    public static WebApplication UseRequestIds(this WebApplication app)
    {
        app.UseMiddleware<RequestIdMiddleware>();
        return app;
    }
}

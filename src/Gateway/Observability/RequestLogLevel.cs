using Serilog.Events;

namespace Routescope.Gateway.Observability;

/// <summary>
/// The level of a request's one log line. Serilog's default makes every 5xx an error; a 503 (circuit open, usage not
/// durable, store outage) and a 504 (the upstream's or the route's deadline) are the gateway answering as designed, and
/// a client that drips its body past the deadline must not page anyone. Real faults (a 500, a 502, an exception)
/// stay errors.
/// </summary>
internal static class RequestLogLevel
{
    public static LogEventLevel For(HttpContext context, double elapsedMilliseconds, Exception? exception) =>
        exception is not null ? LogEventLevel.Error : context.Response.StatusCode switch
        {
            StatusCodes.Status503ServiceUnavailable or StatusCodes.Status504GatewayTimeout => LogEventLevel.Warning,
            >= 500 => LogEventLevel.Error,
            _ => LogEventLevel.Information,
        };
}

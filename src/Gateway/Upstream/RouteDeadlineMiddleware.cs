using Routescope.Gateway.Gemini;
using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Upstream;

/// <summary>
/// Just inside ASP.NET Core's request timeouts: when the route's deadline ran out and a step gave up by throwing (a
/// body still uploading, a store call), the client gets a Gemini 504 instead of the timeout middleware's empty one, or,
/// once the answer started, a cut connection instead of an unhandled-exception log line. Attempts cut by the deadline
/// do not throw: the upstream error step answers those.
/// </summary>
internal sealed partial class RouteDeadlineMiddleware(RequestDelegate next, ILogger<RouteDeadlineMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (RouteDeadline.RanOut(context))
        {
            LogDeadline(logger, context.Request.Path, context.Response.HasStarted);
            if (context.Response.HasStarted)
            {
                // Part of an answer went out: only a cut tells the client it is not the whole one.
                context.Abort();
                return;
            }

            await DeadlineResponse.WriteAsync(context);
        }
    }

    [LoggerMessage(EventId = EventIds.RouteDeadlineExceeded, Level = LogLevel.Warning,
        Message = "The route's deadline ran out for {Path} before the gateway could answer (response started: {Started})")]
    private static partial void LogDeadline(ILogger logger, PathString path, bool started);
}

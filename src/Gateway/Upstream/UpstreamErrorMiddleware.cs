using Routescope.Gateway.Errors;

using Yarp.ReverseProxy.Forwarder;

namespace Routescope.Gateway.Upstream;

/// <summary>
/// When YARP could not get an answer from the upstream it leaves an empty 502/504; clients get a Gemini error
/// instead. Answers the upstream did give are never touched.
/// </summary>
internal static partial class UpstreamErrorMiddleware
{
    public static async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        await next();
        var error = context.Features.Get<IForwarderErrorFeature>();
        if (error is null || error.Error == ForwarderError.None || context.Response.HasStarted)
        {
            return;
        }

        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(UpstreamErrorMiddleware).FullName!);
        LogForwarderError(logger, error.Error, error.Exception?.GetType().Name ?? "none");
        var (status, message) = error.Error switch
        {
            ForwarderError.RequestTimedOut => (StatusCodes.Status504GatewayTimeout, "The upstream did not answer in time."),
            ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled => (499, "The request was cancelled."),
            ForwarderError.RequestBodyClient => context.Response.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? (StatusCodes.Status413PayloadTooLarge, "The request body is larger than the gateway accepts.")
                : (StatusCodes.Status400BadRequest, "The request body could not be read."),
            _ => (StatusCodes.Status502BadGateway, "The upstream could not be reached or failed to answer."),
        };
        if (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        await GeminiError.WriteAsync(context, status, message);
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Forwarding failed: {ForwarderError} ({ExceptionType})")]
    private static partial void LogForwarderError(ILogger logger, ForwarderError forwarderError, string exceptionType);
}

using Microsoft.AspNetCore.Diagnostics;

using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Errors;

/// <summary>
/// Last line of defence: anything a client can send that still throws becomes a Gemini-style error, never a bare 500
/// page with a stack trace. Malformed requests Kestrel or routing rejects keep their 4xx status; a store that does not
/// answer (key lookups past the cache, the admin API) is a retryable 503.
/// </summary>
internal sealed partial class GeminiExceptionHandler(ILogger<GeminiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (UnreadableRequest.Status(exception) is { } status)
        {
            // The client's mistake, not the gateway's: no error-level line and no stack trace. The rest of the
            // connection cannot be framed either, so it is closed after this answer.
            var exceptionType = exception.GetType().Name;
            LogUnreadable(logger, httpContext.TraceIdentifier, status, exceptionType);
            await GeminiError.WriteAsync(httpContext, status, UnreadableRequest.Message(status), closeConnection: true);
            return true;
        }

        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
            return true;
        }

        if (StoreOutage.Is(exception))
        {
            // Not a gateway bug, and every request meets it during an outage: one line each, without the stack trace or
            // the message (which can name the database's address).
            var exceptionType = exception.GetType().Name;
            LogStoreUnavailable(logger, httpContext.TraceIdentifier, httpContext.Request.Path.Value ?? "/", exceptionType);
            await GeminiError.WriteAsync(httpContext, StatusCodes.Status503ServiceUnavailable, StoreOutage.Message, retryAfter: StoreOutage.RetryAfter);
            return true;
        }

        LogUnhandled(logger, exception, httpContext.TraceIdentifier);
        await GeminiError.WriteAsync(httpContext, StatusCodes.Status500InternalServerError,
            "Internal gateway error; quote request id " + httpContext.TraceIdentifier + " when reporting it.");
        return true;
    }

    [LoggerMessage(EventId = EventIds.UnhandledException, Level = LogLevel.Error, Message = "Unhandled exception for request {RequestId}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string requestId);

    [LoggerMessage(EventId = EventIds.StoreUnavailable, Level = LogLevel.Warning,
        Message = "Request {RequestId} to {Path} answered 503: the store is unavailable ({ExceptionType})")]
    private static partial void LogStoreUnavailable(ILogger logger, string requestId, string path, string exceptionType);

    [LoggerMessage(EventId = EventIds.RequestUnreadable, Level = LogLevel.Information, Message = "Request {RequestId} could not be read ({Status}, {ExceptionType})")]
    private static partial void LogUnreadable(ILogger logger, string requestId, int status, string exceptionType);
}

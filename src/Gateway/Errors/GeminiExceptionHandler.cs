using Microsoft.AspNetCore.Diagnostics;

using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Errors;

/// <summary>
/// Last line of defence: anything a client can send that still throws becomes a Gemini-style error, never a bare 500
/// page with a stack trace. Malformed requests Kestrel or routing rejects keep their 4xx status.
/// </summary>
internal sealed partial class GeminiExceptionHandler(ILogger<GeminiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is BadHttpRequestException badRequest)
        {
            await GeminiError.WriteAsync(httpContext, badRequest.StatusCode, "The request could not be read: " + ClientMessage(badRequest.StatusCode));
            return true;
        }

        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
            return true;
        }

        LogUnhandled(logger, exception, httpContext.TraceIdentifier);
        await GeminiError.WriteAsync(httpContext, StatusCodes.Status500InternalServerError,
            "Internal gateway error; quote request id " + httpContext.TraceIdentifier + " when reporting it.");
        return true;
    }

    private static string ClientMessage(int status) => status switch
    {
        413 => "the body is larger than the gateway accepts.",
        408 => "the body did not arrive in time.",
        _ => "it is malformed.",
    };

    [LoggerMessage(EventId = EventIds.UnhandledException, Level = LogLevel.Error, Message = "Unhandled exception for request {RequestId}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string requestId);
}

using Routescope.Gateway.Errors;
using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Hygiene;

/// <summary>
/// Before authentication, so it holds with or without a key: a request whose framing is ambiguous is refused and its
/// connection closed; a Gemini API request with a header value outside visible ASCII is refused naming the header.
/// Forwarded, such values either make the upstream HTTP client refuse to send (once a 502 that counted against the
/// model's circuit breaker) or reach the upstream as they are.
/// </summary>
internal sealed partial class RequestHygieneMiddleware(RequestDelegate next, ILogger<RequestHygieneMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (RequestFraming.Problem(request, ConnectionFraming.Problem(context)) is { } framing)
        {
            LogFramingRefused(logger, context.TraceIdentifier, framing);
            // Where this request's body ends is not known, so nothing after its head may be read as another request.
            return GeminiError.WriteAsync(context, StatusCodes.Status400BadRequest, "Invalid request framing: " + framing, closeConnection: true);
        }

        if (IsGeminiApi(request.Path) && HeaderValueRule.HasRefusedName(request.Headers))
        {
            LogHeaderNameRefused(logger, context.TraceIdentifier);
            return GeminiError.WriteAsync(context, StatusCodes.Status400BadRequest, HeaderValueRule.NameMessage);
        }

        if (IsGeminiApi(request.Path) && HeaderValueRule.FirstRefused(request.Headers) is { } header)
        {
            LogHeaderRefused(logger, context.TraceIdentifier, header);
            return GeminiError.WriteAsync(context, StatusCodes.Status400BadRequest, HeaderValueRule.Message(header));
        }

        return next(context);
    }

    // Routing matches case-insensitively, so every spelling of the prefix reaches the proxy routes; the path check
    // that refuses odd spellings runs later, and this rule must hold for them too.
    private static bool IsGeminiApi(PathString path) =>
        path.StartsWithSegments("/v1beta", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase);

    [LoggerMessage(EventId = EventIds.FramingRefused, Level = LogLevel.Information, Message = "Request {RequestId} refused: {Reason}")]
    private static partial void LogFramingRefused(ILogger logger, string requestId, string reason);

    [LoggerMessage(EventId = EventIds.HeaderNameRefused, Level = LogLevel.Information, Message = "Request {RequestId} refused: a header name is not an RFC 9110 token")]
    private static partial void LogHeaderNameRefused(ILogger logger, string requestId);

    [LoggerMessage(EventId = EventIds.HeaderRefused, Level = LogLevel.Information, Message = "Request {RequestId} refused: header {Header} has a non-ASCII or control character")]
    private static partial void LogHeaderRefused(ILogger logger, string requestId, string header);
}

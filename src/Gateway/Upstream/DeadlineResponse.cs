using Routescope.Gateway.Errors;

namespace Routescope.Gateway.Upstream;

/// <summary>
/// What the client gets when the route's deadline ran out before its answer started: a Gemini 504
/// <c>DEADLINE_EXCEEDED</c>, as Google's APIs answer a request that ran out of time.
/// </summary>
internal static class DeadlineResponse
{
    public const string Message = "The request ran past the gateway's deadline for this route (its Timeout) before an answer started.";

    public static async Task WriteAsync(HttpContext context)
    {
        // The deadline fired the request's abort token, but the client is still there to be told why: the small error
        // must not be cancelled by the very timer it reports.
        var aborted = context.RequestAborted;
        context.RequestAborted = CancellationToken.None;
        try
        {
            // The body may still be uploading, and its read was cancelled mid-way: Kestrel could neither drain it in
            // time nor tell where the next request starts, so the connection ends with this answer.
            await GeminiError.WriteAsync(context, StatusCodes.Status504GatewayTimeout, Message, closeConnection: true);
        }
        finally
        {
            context.RequestAborted = aborted;
        }
    }
}

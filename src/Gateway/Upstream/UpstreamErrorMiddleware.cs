using Routescope.Gateway.Errors;
using Routescope.Gateway.Gemini;
using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Upstream;

/// <summary>
/// Outside the attempt loop: when the last attempt got no answer to pass on, YARP leaves an empty 502/504; clients get
/// a Gemini error instead. Answers the upstream did give are never touched.
/// </summary>
internal sealed partial class UpstreamErrorMiddleware(RequestDelegate next, ILogger<UpstreamErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        if (context.Response.HasStarted || context.GetGatewayRequest().LastAttempt is not { } attempt)
        {
            return;
        }

        if (attempt.ForwarderReport is { } report)
        {
            LogAttemptFailed(logger, attempt.Model ?? "(models)", attempt.Outcome, report);
        }

        if (ErrorFor(attempt.Outcome, context.RequestAborted.IsCancellationRequested, context.Response.StatusCode) is { } error)
        {
            // The deadline's error is written past the abort token the deadline itself fired.
            await (attempt.Outcome == AttemptOutcome.DeadlineExceeded
                ? DeadlineResponse.WriteAsync(context)
                : GeminiError.WriteAsync(context, error.Status, error.Message));
        }
    }

    /// <summary>The Gemini error for an attempt that got no answer to pass on; null when there is nothing to say or nobody to say it to.</summary>
    /// <param name="outcome">How the last attempt ended.</param>
    /// <param name="clientAborted">Whether the client has gone.</param>
    /// <param name="statusSet">The status YARP left on the response.</param>
    internal static (int Status, string Message)? ErrorFor(AttemptOutcome outcome, bool clientAborted, int statusSet) => outcome switch
    {
        AttemptOutcome.TimedOut => (StatusCodes.Status504GatewayTimeout, "The upstream did not answer in time."),
        // YARP left a 400, taking the deadline for a client's cancellation; whatever the abort token says, the client is still there.
        AttemptOutcome.DeadlineExceeded => (StatusCodes.Status504GatewayTimeout, DeadlineResponse.Message),
        AttemptOutcome.Unreachable or AttemptOutcome.UpstreamBroke => (StatusCodes.Status502BadGateway, "The upstream could not be reached or failed to answer."),
        // YARP's status tells a body the client could not deliver (400, 408, 413) from a request the gateway could not build.
        AttemptOutcome.NotSent => statusSet switch
        {
            StatusCodes.Status413PayloadTooLarge => (StatusCodes.Status413PayloadTooLarge, "The request body is larger than the gateway accepts."),
            StatusCodes.Status400BadRequest or StatusCodes.Status408RequestTimeout => (StatusCodes.Status400BadRequest, "The request body could not be read."),
            _ => (StatusCodes.Status502BadGateway, "The gateway could not send the request upstream."),
        },
        AttemptOutcome.ClientGone when !clientAborted => (499, "The request was cancelled."),
        _ => null,
    };

    [LoggerMessage(EventId = EventIds.UpstreamAttemptFailed, Level = LogLevel.Warning, Message = "Upstream attempt for {Model} ended {Outcome}; forwarder reported {ForwarderReport}")]
    private static partial void LogAttemptFailed(ILogger logger, string model, AttemptOutcome outcome, string forwarderReport);
}

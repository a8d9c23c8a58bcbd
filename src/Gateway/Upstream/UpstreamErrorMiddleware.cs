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

        var (status, message) = attempt.Outcome switch
        {
            AttemptOutcome.TimedOut => (StatusCodes.Status504GatewayTimeout, "The upstream did not answer in time."),
            AttemptOutcome.Unreachable or AttemptOutcome.UpstreamBroke => (StatusCodes.Status502BadGateway, "The upstream could not be reached or failed to answer."),
            AttemptOutcome.NotSent => (StatusCodes.Status502BadGateway, "The gateway could not send the request upstream."),
            // A client that is still there but whose body could not be read; YARP's status says whether it was too large.
            AttemptOutcome.ClientGone when !context.RequestAborted.IsCancellationRequested => context.Response.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? (StatusCodes.Status413PayloadTooLarge, "The request body is larger than the gateway accepts.")
                : (StatusCodes.Status400BadRequest, "The request body could not be read."),
            _ => (0, string.Empty),
        };
        if (status == 0)
        {
            return;
        }

        LogAttemptFailed(logger, attempt.Model ?? "(models)", attempt.Outcome, attempt.ExceptionType ?? "none");
        await GeminiError.WriteAsync(context, status, message);
    }

    [LoggerMessage(EventId = EventIds.UpstreamAttemptFailed, Level = LogLevel.Warning, Message = "Upstream attempt for {Model} ended {Outcome} ({ExceptionType})")]
    private static partial void LogAttemptFailed(ILogger logger, string model, AttemptOutcome outcome, string exceptionType);
}

using Routescope.Gateway.Errors;
using Routescope.Gateway.Gemini;
using Routescope.Gateway.Inspection.Buffering;
using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Fallback;

/// <summary>
/// The attempt loop around YARP's forwarder. Each model of the requested model's chain gets at most one attempt, with
/// the body adapted to it; a retryable failure moves on only while nothing has reached the client: the response gate
/// holds back a retryable answer's body (YARP then leaves the response unstarted), a connection failure or timeout
/// leaves it unstarted too, and <c>Response.Clear()</c> makes it fresh for the next attempt. Once a byte went
/// out there is no second attempt. How each attempt ended is judged below this step, once, on the attempt.
/// </summary>
internal sealed partial class FallbackMiddleware(
    RequestDelegate next,
    FallbackPlanner planner,
    CircuitBreakers breakers,
    FallbackMetrics metrics,
    ILogger<FallbackMiddleware> logger)
{
    /// <summary>How the chain (<c>x-gateway-fallback</c>, the usage record) names an attempt the route's deadline cut.</summary>
    public const string DeadlineReason = "deadline-exceeded";

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.GetGatewayRequest();
        context.Response.OnStarting(FallbackHeaders.WriteAsync, context);
        if (request.Inspected is not { } inspected || !request.Route.Operation.IsGeneration())
        {
            // The model list, model info and countTokens: one attempt, at the model they name, with no chain.
            request.BeginAttempt(request.Route.Model, 0, []);
            await next(context);
            return;
        }

        var chain = planner.Plan(request, inspected, OptedOut(context));
        request.Chain = chain;
        for (var i = 0; i < chain.Count; i++)
        {
            // A client that left before an attempt began gets none: it would bill work nobody receives.
            if (request.ClientLeft.IsCancellationRequested)
            {
                return;
            }

            if (chain.Fit(i) is not { } candidate)
            {
                request.PassOver(chain.ModelAt(i), "incompatible");
                metrics.Skipped(chain.ModelAt(i));
                continue;
            }

            var breaker = breakers.For(candidate.Model);
            var admission = breaker.TryAdmit();
            if (admission == BreakerAdmission.Denied)
            {
                request.PassOver(candidate.Model, "circuit-open");
                metrics.Skipped(candidate.Model);
                continue;
            }

            var attempt = request.BeginAttempt(candidate.Model, i, candidate.Changes);
            var body = new SequenceStream(candidate.Body);
            context.Request.Body = body;
            context.Request.ContentLength = candidate.Body.Length;
            try
            {
                await next(context);
            }
            catch
            {
                // Whatever happened, a probe slot must not stay taken, or the model would never be tried again.
                breaker.Abandon(admission);
                throw;
            }
            finally
            {
                attempt.RequestDelivered = body.Position == body.Length;
            }

            if (Judge(attempt) is not { } failure)
            {
                // Served, or ended for a reason that is no model's fault (the client left, nothing was sent): the
                // breaker learns nothing from it and the chain stops.
                if (attempt.Outcome == AttemptOutcome.Answered)
                {
                    breaker.RecordSuccess(admission);
                    metrics.Served(candidate.Model);
                }
                else
                {
                    breaker.Abandon(admission);
                    if (attempt.Outcome == AttemptOutcome.DeadlineExceeded)
                    {
                        // No time is left for another model; the chain still says where it stopped.
                        attempt.Failure = DeadlineReason;
                    }
                }

                return;
            }

            breaker.RecordFailure(admission);
            metrics.Retryable(candidate.Model);
            attempt.Failure = failure.Reason;
            // A client that left gets no second attempt: the next model would bill work nobody receives.
            if (!failure.MayMoveOn || context.Response.HasStarted || !chain.HasViableNext(attempt) || request.ClientLeft.IsCancellationRequested)
            {
                return;
            }

            LogMovingOn(logger, candidate.Model, failure.Reason);
            request.MoveOn();
            context.Response.Clear();
        }

        await GeminiError.WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
            $"No model of the chain for {request.Route.Model} is available right now ({request.FallbackChain}); retry later.");
    }

    /// <summary>Requests can opt out with <c>x-gateway-fallback: off</c>: then only the requested model is tried.</summary>
    private static bool OptedOut(HttpContext context) =>
        string.Equals(context.Request.Headers[FallbackHeaders.Fallback], "off", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Whether an attempt counts against its model, why, and whether that kind of failure may move on to the next
    /// model; null when it does not count (served, the client left, nothing was sent, the route's deadline ran out:
    /// that deadline is the whole request's budget, spent by the client's upload and earlier attempts too, so it
    /// proves nothing about the model it happened to cut; the model's own silence is judged by the ActivityTimeout).
    /// </summary>
    internal static (string Reason, bool MayMoveOn)? Judge(UpstreamAttempt attempt) => attempt.Outcome switch
    {
        AttemptOutcome.HeldBack => (Status(attempt.HeldBackStatus), true),
        // A retryable status passed through (the response gate said so): no model was left, but this one still failed.
        AttemptOutcome.Answered when attempt.Failure is { } passedThrough => (passedThrough, false),
        AttemptOutcome.TimedOut => ("timeout", true),
        AttemptOutcome.Unreachable => ("unreachable", true),
        // Broke off after its headers: once a body byte reached the client YARP cuts it off and the loop stops (the
        // response has started); before that (headers, then a reset or a stall) YARP leaves the response unstarted and
        // the client has nothing yet, so the next model may answer.
        AttemptOutcome.UpstreamBroke => ("unreachable", true),
        _ => null,
    };

    private static string Status(int? status) => status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown";

    [LoggerMessage(EventId = EventIds.MovingOnInChain, Level = LogLevel.Information, Message = "Model {Model} failed ({Failure}) before answering; trying the next model of the chain")]
    private static partial void LogMovingOn(ILogger logger, string model, string failure);
}

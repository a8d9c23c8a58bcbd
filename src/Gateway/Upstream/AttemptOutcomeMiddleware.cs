using Routescope.Gateway.Gemini;

using Yarp.ReverseProxy.Forwarder;

namespace Routescope.Gateway.Upstream;

/// <summary>
/// Inside the attempt loop, around YARP's own steps and the forwarder: judges how each attempt ended, once, and stores
/// the verdict on the attempt. This is the only place that reads YARP's <see cref="ForwarderError"/>; fallback,
/// metering and the error responses all act on the <see cref="AttemptOutcome"/> instead.
/// </summary>
internal sealed class AttemptOutcomeMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var attempt = context.GetGatewayRequest().LastAttempt
            ?? throw new InvalidOperationException("The forwarder runs only inside an attempt: the fallback step begins one first.");

        // The feature outlives the forwarding call: a previous attempt's error must not be read as this one's.
        context.Features.Set<IForwarderErrorFeature>(null);
        await next(context);
        var error = context.Features.Get<IForwarderErrorFeature>();
        var reported = error?.Error ?? ForwarderError.None;
        attempt.Complete(
            Classify(reported, context.RequestAborted.IsCancellationRequested, attempt.HeldBackStatus is not null, RouteDeadline.RanOut(context), RefusedToSend(error?.Exception)),
            reported == ForwarderError.None ? null : reported + " (" + (error!.Exception?.GetType().Name ?? "no exception") + ")");
    }

    /// <summary>
    /// Whether the HTTP client refused to send the request as it was (a header value it cannot encode), before any
    /// byte reached the upstream. It says so only in its message (HttpRequestError.Unknown, no inner exception), for
    /// HTTP/1.1 and HTTP/2 alike; UnencodableHeaderTests pins the text against the runtime in use.
    /// </summary>
    internal static bool RefusedToSend(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is HttpRequestException && string.Equals(current.Message, UnencodableHeaderMessage, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    internal const string UnencodableHeaderMessage = "Request headers must contain only ASCII characters.";

    /// <param name="error">What the forwarder reported.</param>
    /// <param name="clientAborted">Whether the request's abort token fired.</param>
    /// <param name="heldBack">Whether the response gate kept a retryable answer's body back.</param>
    /// <param name="deadlineRanOut">Whether the route's deadline fired the abort token while the client was still there.</param>
    /// <param name="refusedToSend">Whether the HTTP client refused the request's own content (<see cref="RefusedToSend"/>).</param>
    internal static AttemptOutcome Classify(ForwarderError error, bool clientAborted, bool heldBack, bool deadlineRanOut = false, bool refusedToSend = false) => error switch
    {
        // First: when the upstream breaks off mid-body YARP aborts the client connection itself, so the abort token
        // fires although the client did nothing.
        ForwarderError.ResponseBodyDestination or ForwarderError.UpgradeResponseDestination => AttemptOutcome.UpstreamBroke,
        // The route's Timeout is linked into the abort token, so YARP reports it as a cancellation (with a 400): it is
        // the gateway's deadline, not the client's departure. An answer that was through before it fired stays answered.
        not ForwarderError.None when deadlineRanOut => AttemptOutcome.DeadlineExceeded,
        _ when clientAborted => AttemptOutcome.ClientGone,
        ForwarderError.None => heldBack ? AttemptOutcome.HeldBack : AttemptOutcome.Answered,
        ForwarderError.RequestTimedOut or ForwarderError.UpgradeActivityTimeout => AttemptOutcome.TimedOut,
        // Cancellation comes from the client's side (the activity token is linked to the client's abort token), and
        // so does a failed write of the answer to it.
        ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled
            or ForwarderError.ResponseBodyCanceled or ForwarderError.ResponseBodyClient
            or ForwarderError.UpgradeRequestCanceled or ForwarderError.UpgradeResponseCanceled
            or ForwarderError.UpgradeResponseClient => AttemptOutcome.ClientGone,
        // The request could not be built, or its body could not be read from a client that is still there.
        ForwarderError.RequestCreation or ForwarderError.RequestBodyClient or ForwarderError.UpgradeRequestClient => AttemptOutcome.NotSent,
        // What the client sent could not be put on the wire: the upstream never saw it, so no breaker may count it.
        ForwarderError.Request when refusedToSend => AttemptOutcome.NotSent,
        // Request (connect, send, receive headers), RequestBodyDestination, ResponseHeaders, NoAvailableDestinations,
        // UpgradeRequestDestination: the upstream side failed before its answer started.
        _ => AttemptOutcome.Unreachable,
    };
}

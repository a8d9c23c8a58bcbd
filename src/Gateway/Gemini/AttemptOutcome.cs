namespace Routescope.Gateway.Gemini;

/// <summary>
/// How one upstream attempt ended. Judged once, when the forwarder returns (<c>Upstream/AttemptOutcomeMiddleware</c>),
/// and stored on the attempt: fallback, metering and error handling all read this, none of them judges again.
/// </summary>
internal enum AttemptOutcome
{
    /// <summary>The attempt has not ended (or the pipeline threw before it could be judged).</summary>
    Pending,

    /// <summary>The upstream answered and its answer went to the client in full, whatever its status.</summary>
    Answered,

    /// <summary>The upstream answered with a retryable status whose body was held back for the next model: nothing reached the client.</summary>
    HeldBack,

    /// <summary>The upstream did not answer within the activity timeout.</summary>
    TimedOut,

    /// <summary>The upstream could not be reached, or failed before its answer started (connect, send, headers, no destination).</summary>
    Unreachable,

    /// <summary>The upstream's answer broke off mid-body, after the client had its start.</summary>
    UpstreamBroke,

    /// <summary>The client went away (or cancelled) before the answer was through.</summary>
    ClientGone,

    /// <summary>
    /// The route's overall deadline (its <c>Timeout</c>) ran out while the attempt was in flight: the gateway gave up on
    /// the request, the client did not leave. No time is left for another model.
    /// </summary>
    DeadlineExceeded,

    /// <summary>
    /// The gateway could not send the request: it could not build it, or could not read its body from the client.
    /// Nobody upstream is to blame, and another model would fare no better.
    /// </summary>
    NotSent,
}

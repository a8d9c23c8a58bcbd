namespace Routescope.Gateway.Gemini;

/// <summary>
/// The models a request may still move on to. The fallback step plans the chain; the response gate asks it, when a
/// retryable status arrives, whether keeping that answer back is worth it.
/// </summary>
internal interface IAttemptChain
{
    /// <summary>Whether a model after <paramref name="attempt"/>'s could still be tried (it fits the request and its breaker admits).</summary>
    bool HasViableNext(UpstreamAttempt attempt);
}

using Routescope.Gateway.Gemini;

namespace Routescope.Gateway.Fallback;

/// <summary>
/// The models one request may be served by, in order, each with its body fitted on first use: adapting and
/// re-validating for models that are never called would be wasted work on every request.
/// </summary>
internal sealed class FallbackChain(FallbackPlanner planner, GatewayRequest request, ChainCandidate[] candidates) : IAttemptChain
{
    public int Count => candidates.Length;

    public string ModelAt(int position) => candidates[position].Model;

    /// <summary>The body for the model at <paramref name="position"/>; null when that model cannot take the request.</summary>
    public BodyAdaptation? Fit(int position)
    {
        var candidate = candidates[position];
        if (!candidate.Fitted)
        {
            candidate.Fit(planner.Fit(request, candidate.Model));
        }

        return candidate.Body;
    }

    public bool HasViableNext(UpstreamAttempt attempt)
    {
        for (var i = attempt.Position + 1; i < candidates.Length; i++)
        {
            if (Fit(i) is { } next && planner.WouldAdmit(next.Model))
            {
                return true;
            }
        }

        return false;
    }
}

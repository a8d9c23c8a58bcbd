using System.Globalization;

using Microsoft.Extensions.Options;

using Routescope.Gateway.Gemini;

using Yarp.ReverseProxy.Transforms;

namespace Routescope.Gateway.Fallback;

/// <summary>
/// Runs when the upstream's headers arrive, before anything reaches the client: a retryable status with a next model
/// to try is held back (its body is not copied), so the attempt loop can clear the response and move on.
/// </summary>
internal sealed class AttemptResponseGate(IOptions<FallbackOptions> options) : ResponseTransform
{
    public override ValueTask ApplyAsync(ResponseTransformContext context)
    {
        if (context.ProxyResponse is { } response
            && options.Value.RetryableStatuses.Contains((int)response.StatusCode)
            && context.HttpContext.GetGatewayRequest() is { Chain: { } chain, LastAttempt: { } attempt })
        {
            var status = (int)response.StatusCode;
            if (chain.HasViableNext(attempt))
            {
                attempt.HeldBackStatus = status;
                context.SuppressResponseBody = true;
            }
            else
            {
                // Nothing left to try: this failure is the answer, and the headers about to go out must say so.
                attempt.Failure = status.ToString(CultureInfo.InvariantCulture);
            }
        }

        return ValueTask.CompletedTask;
    }
}

using Microsoft.Extensions.Options;

using Routescope.Gateway.Inspection;

using Yarp.ReverseProxy.Transforms;

namespace Routescope.Gateway.Fallback;

/// <summary>Sends an attempt to its own model: the upstream path names the model of this attempt.</summary>
internal sealed class AttemptPathTransform : RequestTransform
{
    public override ValueTask ApplyAsync(RequestTransformContext context)
    {
        if (context.HttpContext.Features.Get<UpstreamAttempt>() is { } attempt
            && context.HttpContext.Features.Get<GeminiRoute>() is { } route
            && !string.Equals(attempt.Model, route.Model, StringComparison.Ordinal))
        {
            context.Path = "/v1beta/models/" + attempt.Model + ":" + GeminiPath.MethodName(route.Operation);
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Runs when the upstream's headers arrive, before anything reaches the client: a retryable status with a next model
/// to try is held back (its body is not copied), so the attempt loop can clear the response and move on.
/// </summary>
internal sealed class AttemptResponseGate(IOptions<FallbackOptions> options) : ResponseTransform
{
    public override ValueTask ApplyAsync(ResponseTransformContext context)
    {
        if (context.ProxyResponse is { } response
            && context.HttpContext.Features.Get<UpstreamAttempt>() is { } attempt
            && options.Value.RetryableStatuses.Contains((int)response.StatusCode))
        {
            if (attempt.HasNext)
            {
                attempt.HeldBackStatus = (int)response.StatusCode;
                context.SuppressResponseBody = true;
            }
            else
            {
                attempt.PassedThroughStatus = (int)response.StatusCode;
            }
        }

        return ValueTask.CompletedTask;
    }
}

using Routescope.Gateway.Gemini;

using Yarp.ReverseProxy.Transforms;

namespace Routescope.Gateway.Upstream;

/// <summary>Sends an attempt to its own model: the upstream path names the model of this attempt.</summary>
internal sealed class AttemptPathTransform : RequestTransform
{
    public override ValueTask ApplyAsync(RequestTransformContext context)
    {
        var request = context.HttpContext.GetGatewayRequest();
        if (request.LastAttempt is { Model: { } model } && !string.Equals(model, request.Route.Model, StringComparison.Ordinal))
        {
            context.Path = GeminiPath.ForModel(model, request.Route.Operation);
        }

        return ValueTask.CompletedTask;
    }
}

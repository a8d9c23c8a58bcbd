using Microsoft.Extensions.Options;

using Yarp.ReverseProxy.Transforms.Builder;

namespace Routescope.Gateway.Fallback;

/// <summary>Adds the response gate to every route.</summary>
internal sealed class FallbackTransformProvider(IOptions<FallbackOptions> options) : ITransformProvider
{
    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context) => context.ResponseTransforms.Add(new AttemptResponseGate(options));
}

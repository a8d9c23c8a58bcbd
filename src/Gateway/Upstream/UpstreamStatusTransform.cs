using Serilog;

using Yarp.ReverseProxy.Transforms;

namespace Routescope.Gateway.Upstream;

/// <summary>Records the upstream's status for the request log line; the response itself passes through untouched.</summary>
internal sealed class UpstreamStatusTransform : ResponseTransform
{
    public override ValueTask ApplyAsync(ResponseTransformContext context)
    {
        if (context.ProxyResponse is { } response)
        {
            context.HttpContext.RequestServices.GetRequiredService<IDiagnosticContext>().Set("UpstreamStatus", (int)response.StatusCode);
        }

        return ValueTask.CompletedTask;
    }
}

using Serilog;

using Yarp.ReverseProxy.Transforms;

namespace Routescope.Gateway.Upstream;

/// <summary>Records the upstream's status for the log line and the usage record; the response passes through untouched.</summary>
internal sealed class UpstreamStatusTransform : ResponseTransform
{
    public override ValueTask ApplyAsync(ResponseTransformContext context)
    {
        if (context.ProxyResponse is { } response)
        {
            context.HttpContext.RequestServices.GetRequiredService<IDiagnosticContext>().Set("UpstreamStatus", (int)response.StatusCode);
            context.HttpContext.Features.Set(new UpstreamStatus((int)response.StatusCode));
        }

        return ValueTask.CompletedTask;
    }
}

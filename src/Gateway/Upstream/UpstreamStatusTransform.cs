using Routescope.Gateway.Gemini;

using Serilog;

using Yarp.ReverseProxy.Transforms;

namespace Routescope.Gateway.Upstream;

/// <summary>Records the upstream's status on the attempt and the log line; the response passes through untouched.</summary>
internal sealed class UpstreamStatusTransform(IDiagnosticContext diagnostics) : ResponseTransform
{
    public override ValueTask ApplyAsync(ResponseTransformContext context)
    {
        if (context.ProxyResponse is { } response)
        {
            var status = (int)response.StatusCode;
            diagnostics.Set("UpstreamStatus", status);
            context.HttpContext.GetGatewayRequest().LastAttempt!.UpstreamStatus = status;
        }

        return ValueTask.CompletedTask;
    }
}

using System.Text;

using Routescope.Gateway.Gemini;

using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;

namespace Routescope.Gateway.Upstream;

/// <summary>
/// The upstream target is built here, for every operation and every attempt, and nowhere else: the path from the
/// parsed route and the model of this attempt (never the client's spelling, which ASP.NET's case-insensitive route
/// matching lets through and an upstream answers with a 404 against a real model; <c>/v1/</c> goes to
/// <c>/v1beta/</c>), the query from an allow-list of the decoded parameters the path guard accepted
/// (<see cref="GeminiQuery.IsForwarded"/>), so an unknown parameter, a caller's <c>?key=</c> included, never travels
/// on. Values are re-encoded with every reserved character escaped, so none can smuggle in a second parameter (an
/// upstream that also splits on <c>;</c> included). Runs last: a path or query transform of the route's configuration
/// changes nothing.
/// </summary>
internal sealed class UpstreamTargetTransform : RequestTransform
{
    public override ValueTask ApplyAsync(RequestTransformContext context)
    {
        var request = context.HttpContext.GetGatewayRequest();
        var operation = request.Route.Operation;
        var path = GeminiPath.ForUpstream(operation, request.LastAttempt?.Model ?? request.Route.Model);
        context.Path = path;
        context.ProxyRequest.RequestUri = RequestUtilities.MakeDestinationAddress(context.DestinationPrefix, path, Query(context.HttpContext.Request.Query, operation));
        return ValueTask.CompletedTask;
    }

    private static QueryString Query(IQueryCollection query, GeminiOperation operation)
    {
        StringBuilder? target = null;
        foreach (var (name, values) in query)
        {
            if (!GeminiQuery.IsForwarded(operation, name))
            {
                continue;
            }

            // The path guard let through one value per forwarded parameter.
            target = (target ?? new StringBuilder()).Append(target is null ? '?' : '&')
                .Append(GeminiQuery.CanonicalName(name)).Append('=').Append(Uri.EscapeDataString(values.ToString()));
        }

        return target is null ? QueryString.Empty : new QueryString(target.ToString());
    }
}

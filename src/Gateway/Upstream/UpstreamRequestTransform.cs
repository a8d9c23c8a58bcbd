using Microsoft.Extensions.Options;

using Routescope.Gateway.Gemini;
using Routescope.Gateway.Observability;

using Yarp.ReverseProxy.Transforms;

namespace Routescope.Gateway.Upstream;

/// <summary>
/// Makes the outgoing request the gateway's own: the caller's credentials and any forwarding headers are removed
/// (they would leak keys and internal topology), the upstream key and the request id are added, and with
/// <c>Upstream:AcceptEncoding=Identity</c> the upstream is asked for an uncompressed answer (else only codings metering
/// can read are offered to it).
/// </summary>
internal sealed class UpstreamRequestTransform(UpstreamEndpoint endpoint, IOptions<UpstreamOptions> options) : RequestTransform
{
    private static readonly string[] RemovedHeaders =
    [
        "Authorization",
        "x-goog-api-key",
        "Forwarded",
        "X-Forwarded-For",
        "X-Forwarded-Host",
        "X-Forwarded-Proto",
        "X-Forwarded-Prefix",
        "X-Forwarded-Port",
        "X-Forwarded-Server",
        "X-Real-IP",
        "X-Original-For",
        "Via",
        "Cookie",
        RequestIds.HeaderName,
        "x-gateway-fallback",

        // The path guard refuses these; removed again so no request the gateway builds ever asks to leave HTTP or
        // to mask the usage it bills from.
        "Upgrade",
        "Connection",
        "HTTP2-Settings",
        GeminiQuery.FieldMaskHeader,
    ];

    private static readonly string[] ReadableCodings = ["gzip", "x-gzip", "deflate", "br", "identity"];

    public override ValueTask ApplyAsync(RequestTransformContext context)
    {
        var headers = context.ProxyRequest.Headers;
        foreach (var name in RemovedHeaders)
        {
            headers.Remove(name);
        }

        if (endpoint.ApiKey is { } apiKey)
        {
            headers.TryAddWithoutValidation("Authorization", "Bearer " + apiKey);
        }

        headers.TryAddWithoutValidation(RequestIds.HeaderName, context.HttpContext.TraceIdentifier);
        if (options.Value.AcceptEncoding == UpstreamEncoding.Identity)
        {
            headers.AcceptEncoding.Clear();
            headers.TryAddWithoutValidation("Accept-Encoding", "identity");
        }
        else if (headers.AcceptEncoding.Count > 0)
        {
            // Only codings metering can read may reach the upstream: a client must not be able to choose an answer
            // the gateway could bill only by estimate (zstd, or whatever "*" lets the upstream pick).
            var readable = headers.AcceptEncoding.Where(coding => ReadableCodings.Contains(coding.Value, StringComparer.OrdinalIgnoreCase)).ToArray();
            headers.AcceptEncoding.Clear();
            foreach (var coding in readable)
            {
                headers.AcceptEncoding.Add(coding);
            }

            if (readable.Length == 0)
            {
                headers.AcceptEncoding.ParseAdd("identity");
            }
        }

        return ValueTask.CompletedTask;
    }
}

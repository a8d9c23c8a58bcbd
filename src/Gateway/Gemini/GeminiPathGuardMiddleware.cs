using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

using Routescope.Gateway.Errors;
using Routescope.Gateway.Keys;
using Routescope.Gateway.Observability;

using Serilog;

namespace Routescope.Gateway.Gemini;

/// <summary>
/// First step of the proxy pipeline: only the Gemini endpoints the gateway knows go upstream, spelled exactly, with a
/// model name that cannot be abused, no protocol upgrade and no query the gateway cannot meter; everything else is
/// answered here, before any attempt, so nothing refused here can count against a model's circuit breaker. An
/// accepted request gets its <see cref="GatewayRequest"/>.
/// </summary>
internal sealed class GeminiPathGuardMiddleware(RequestDelegate next, IDiagnosticContext diagnostics, GatewayMode mode)
{
    public Task InvokeAsync(HttpContext context)
    {
        // Proxied answers (including upstream errors with empty bodies) must reach the client as they came.
        if (context.Features.Get<IStatusCodePagesFeature>() is { } statusCodePages)
        {
            statusCodePages.Enabled = false;
        }

        // The route's policy authenticated the key, so the caller is known whatever the path turns out to be.
        var caller = GatewayCaller.FromPrincipal(context.User);
        if (caller is not null)
        {
            diagnostics.Set("KeyPrefix", caller.KeyPrefix);
            diagnostics.Set("KeyId", caller.KeyId);
        }

        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? string.Empty;
        if (GeminiPath.IsSuspiciousRawTarget(raw))
        {
            return GeminiError.WriteAsync(context, StatusCodes.Status400BadRequest,
                "Invalid request path: encoded separators and dot segments are not allowed; " + ModelName.Rule + ".");
        }

        if (ProtocolUpgrade.IsRequested(context))
        {
            return GeminiError.WriteAsync(context, StatusCodes.Status400BadRequest,
                "The Upgrade header is not accepted (nor an HTTP/2 extended CONNECT): the gateway forwards plain HTTP requests only, no WebSocket or h2c.");
        }

        switch (GeminiPath.Parse(context.Request.Method, context.Request.Path.Value, out var route))
        {
            case GeminiPathVerdict.Ok when caller is not null:
                if (GeminiQuery.Refusal(route!.Operation, context.Request.Query, context.Request.Headers) is { } refusal)
                {
                    return GeminiError.WriteAsync(context, StatusCodes.Status400BadRequest, refusal);
                }

                if (route!.Model is { } model)
                {
                    diagnostics.Set("Model", model);
                }

                // In demo mode every record says so: fake answers are never billed as a real channel's.
                var channel = mode.Demo ? GatewayMode.DemoChannel : context.GetReverseProxyFeature().Cluster!.Config.ClusterId;
                context.SetGatewayRequest(new GatewayRequest(route, caller, channel));
                return next(context);
            case GeminiPathVerdict.Ok:
                // Unreachable while every proxied route requires a gateway key (UpstreamConfigFilter enforces it).
                return GeminiError.WriteAsync(context, StatusCodes.Status401Unauthorized, "Missing API key.");
            case GeminiPathVerdict.BadModel:
                return GeminiError.WriteAsync(context, StatusCodes.Status400BadRequest, "Invalid request path: " + ModelName.Rule + ".");
            default:
                return GeminiError.WriteAsync(context, StatusCodes.Status404NotFound,
                    $"{context.Request.Method} is not served on this path. The gateway forwards GET models, GET models/{{model}} and POST models/{{model}}:generateContent, :streamGenerateContent and :countTokens under /v1beta/ or /v1/, spelled exactly so.");
        }
    }
}

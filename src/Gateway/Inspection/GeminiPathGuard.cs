using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

using Routescope.Gateway.Errors;

namespace Routescope.Gateway.Inspection;

/// <summary>
/// First step of the proxy pipeline: only the Gemini endpoints the gateway knows go upstream, with a model name that
/// cannot be abused. Everything else is answered here.
/// </summary>
internal static class GeminiPathGuard
{
    public static Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        // Proxied answers (including upstream errors with empty bodies) must reach the client as they came.
        if (context.Features.Get<IStatusCodePagesFeature>() is { } statusCodePages)
        {
            statusCodePages.Enabled = false;
        }

        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? string.Empty;
        if (GeminiPath.IsSuspiciousRawTarget(raw))
        {
            return GeminiError.WriteAsync(context, StatusCodes.Status400BadRequest,
                "Invalid request path: encoded separators and dot segments are not allowed; " + GeminiPath.ModelRule + ".");
        }

        var path = context.Request.Path.Value.AsSpan();
        var afterVersion = path.Length > 1 ? path[1..] : [];
        var slash = afterVersion.IndexOf('/');
        afterVersion = slash < 0 ? [] : afterVersion[(slash + 1)..];

        switch (GeminiPath.Parse(context.Request.Method, afterVersion, out var route))
        {
            case GeminiPath.Verdict.Ok:
                context.Features.Set(route);
                return next();
            case GeminiPath.Verdict.BadModel:
                return GeminiError.WriteAsync(context, StatusCodes.Status400BadRequest, "Invalid request path: " + GeminiPath.ModelRule + ".");
            default:
                return GeminiError.WriteAsync(context, StatusCodes.Status404NotFound,
                    $"{context.Request.Method} is not served on this path. The gateway forwards GET models, GET models/{{model}} and POST models/{{model}}:generateContent, :streamGenerateContent and :countTokens.");
        }
    }

    public static IReverseProxyApplicationBuilder UseGeminiPathGuard(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.Use(InvokeAsync);
        return proxy;
    }
}

using Routescope.Gateway.Errors;
using Routescope.Gateway.Keys;

using Serilog;

namespace Routescope.Gateway.Policy;

/// <summary>A policy's 429: the Gemini error with <c>Retry-After</c> in whole seconds.</summary>
internal static class Refusal
{
    public static ValueTask WriteAsync(HttpContext context, TimeSpan retryAfter, string message)
    {
        // The rate limiter refuses before the path guard names the caller in the request's log line: name it here.
        if (context.Features.Get<CallerPolicy>() is { } caller && context.RequestServices.GetService<IDiagnosticContext>() is { } diagnostics)
        {
            diagnostics.Set("KeyId", caller.KeyId);
        }

        return new ValueTask(GeminiError.WriteAsync(context, StatusCodes.Status429TooManyRequests, message, retryAfter: retryAfter));
    }
}

using System.Globalization;

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

        // Set as the headers go out: writing the error clears the response first.
        context.Response.OnStarting(static state =>
        {
            var (response, seconds) = ((HttpResponse, string))state;
            response.Headers.RetryAfter = seconds;
            return Task.CompletedTask;
        }, (context.Response, Seconds(retryAfter).ToString(CultureInfo.InvariantCulture)));
        return new ValueTask(GeminiError.WriteAsync(context, StatusCodes.Status429TooManyRequests, message));
    }

    /// <summary>Whole seconds, at least one: what <c>Retry-After</c> can say.</summary>
    public static int Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
}

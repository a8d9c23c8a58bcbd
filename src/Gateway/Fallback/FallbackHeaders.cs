using Routescope.Gateway.Gemini;

namespace Routescope.Gateway.Fallback;

/// <summary>
/// Tells the client which model answered and how the chain went (<c>x-gateway-model</c>, <c>x-gateway-fallback</c>,
/// <c>x-gateway-adapted</c>). Written when the response starts, which happens inside the attempt being served, so the
/// headers follow the attempt in flight.
/// </summary>
internal static class FallbackHeaders
{
    public const string Model = "x-gateway-model";
    public const string Fallback = "x-gateway-fallback";
    public const string Adapted = "x-gateway-adapted";

    /// <summary>An <c>OnStarting</c> callback; its state is the <see cref="HttpContext"/>.</summary>
    public static Task WriteAsync(object state)
    {
        var context = (HttpContext)state;
        var request = context.GetGatewayRequest();
        var headers = context.Response.Headers;
        if (request.ServedModel is { } model)
        {
            headers[Model] = model;
        }

        if (request.FallbackChain is { } chain)
        {
            headers[Fallback] = chain;
        }

        // The last attempt's, even when none was served: the client sees what was changed before the chain gave up.
        if (request.LastAttempt is { Adaptations.Count: > 0 } adapted)
        {
            headers[Adapted] = string.Join("; ", adapted.Adaptations);
        }

        return Task.CompletedTask;
    }
}

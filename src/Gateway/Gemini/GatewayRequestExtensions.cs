namespace Routescope.Gateway.Gemini;

/// <summary>The typed way to the request object, as YARP's <c>GetReverseProxyFeature()</c>.</summary>
internal static class GatewayRequestExtensions
{
    /// <summary>The request object of a proxied request; only the path guard, the first proxy step, creates it.</summary>
    public static GatewayRequest GetGatewayRequest(this HttpContext context) =>
        context.Features.Get<GatewayRequest>()
        ?? throw new InvalidOperationException("No GatewayRequest: the Gemini path guard must run first in the proxy pipeline.");

    public static GatewayRequest? TryGetGatewayRequest(this HttpContext context) => context.Features.Get<GatewayRequest>();

    public static void SetGatewayRequest(this HttpContext context, GatewayRequest request) => context.Features.Set(request);
}

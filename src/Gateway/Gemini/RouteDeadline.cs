using Microsoft.AspNetCore.Http.Timeouts;

namespace Routescope.Gateway.Gemini;

/// <summary>
/// The route's overall deadline: YARP turns a route's <c>Timeout</c> into ASP.NET Core's request timeout, which links
/// its timer into <c>HttpContext.RequestAborted</c>. A fired abort token alone therefore does not say the client left;
/// the timeout feature's own token says the deadline fired, and <see cref="GatewayRequest.ClientLeft"/> whether the
/// client had already gone by then (its departure comes first: a drain cut short by the deadline is still the client's).
/// </summary>
internal static class RouteDeadline
{
    /// <summary>Whether the route's deadline ran out while the client was still there.</summary>
    public static bool RanOut(HttpContext context) =>
        context.Features.Get<IHttpRequestTimeoutFeature>() is { RequestTimeoutToken.IsCancellationRequested: true }
        && context.TryGetGatewayRequest() is not { ClientLeft.IsCancellationRequested: true };
}

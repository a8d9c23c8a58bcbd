using Microsoft.AspNetCore.Http.Features;

namespace Routescope.Gateway.Gemini;

/// <summary>
/// A request asking to leave HTTP: an HTTP/1.1 <c>Upgrade</c> (WebSocket, h2c) or an HTTP/2 extended CONNECT. YARP
/// would tunnel it to the upstream with the upstream's key, and nothing in a tunnel is inspected or metered.
/// </summary>
internal static class ProtocolUpgrade
{
    public static bool IsRequested(HttpContext context)
    {
        var headers = context.Request.Headers;
        if (headers.ContainsKey("Upgrade")
            || context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest == true
            || context.Features.Get<IHttpExtendedConnectFeature>()?.IsExtendedConnect == true)
        {
            return true;
        }

        // Kestrel leaves some upgrade requests (h2c) unflagged; the Connection token says what was asked for.
        foreach (var token in headers.GetCommaSeparatedValues("Connection"))
        {
            if (string.Equals(token, "upgrade", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}

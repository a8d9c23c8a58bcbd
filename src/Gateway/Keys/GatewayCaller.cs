using System.Security.Claims;

namespace Routescope.Gateway.Keys;

/// <summary>The authenticated caller of a proxied request, as later pipeline steps (limits, usage) need it.</summary>
internal sealed record GatewayCaller
{
    public required string KeyId { get; init; }
    public required string KeyName { get; init; }
    public required string KeyPrefix { get; init; }
    public required string Group { get; init; }

    /// <summary>The caller a gateway key's ticket names (see <see cref="GatewayKeyAuthenticationHandler"/>); null for any other principal.</summary>
    public static GatewayCaller? FromPrincipal(ClaimsPrincipal user)
    {
        if (user.Identity is not { IsAuthenticated: true, AuthenticationType: GatewayKeyDefaults.Scheme }
            || user.FindFirst(ClaimTypes.NameIdentifier)?.Value is not { } id
            || user.FindFirst(ClaimTypes.Name)?.Value is not { } name
            || user.FindFirst(GatewayKeyDefaults.PrefixClaim)?.Value is not { } prefix
            || user.FindFirst(GatewayKeyDefaults.GroupClaim)?.Value is not { } group)
        {
            return null;
        }

        return new GatewayCaller { KeyId = id, KeyName = name, KeyPrefix = prefix, Group = group };
    }
}

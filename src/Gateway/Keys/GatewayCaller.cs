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
        // A policy with several schemes merges their identities into one principal: find the gateway key's own.
        foreach (var identity in user.Identities)
        {
            if (identity is { IsAuthenticated: true, AuthenticationType: GatewayKeyDefaults.Scheme }
                && identity.FindFirst(ClaimTypes.NameIdentifier)?.Value is { } id
                && identity.FindFirst(ClaimTypes.Name)?.Value is { } name
                && identity.FindFirst(GatewayKeyDefaults.PrefixClaim)?.Value is { } prefix
                && identity.FindFirst(GatewayKeyDefaults.GroupClaim)?.Value is { } group)
            {
                return new GatewayCaller { KeyId = id, KeyName = name, KeyPrefix = prefix, Group = group };
            }
        }

        return null;
    }
}

namespace Routescope.Gateway.Keys;

internal static class GatewayKeyDefaults
{
    public const string Scheme = "GatewayKey";

    /// <summary>Authorization policy of the proxied routes.</summary>
    public const string Policy = "gateway-key";

    public const string GoogApiKeyHeader = "x-goog-api-key";

    public const string GroupClaim = "gateway:group";
    public const string PrefixClaim = "gateway:key_prefix";
}

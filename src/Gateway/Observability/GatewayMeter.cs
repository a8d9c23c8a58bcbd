namespace Routescope.Gateway.Observability;

/// <summary>The one meter every area of the gateway records on (instruments live in a <c>…Metrics</c> class per area).</summary>
internal static class GatewayMeter
{
    public const string Name = "Routescope.Gateway";
}

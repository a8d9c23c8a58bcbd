namespace Routescope.Gateway.Observability;

/// <summary>
/// Whether this process forwards to the built-in fake upstream (demo mode) or to a real one. Settled once at start
/// (in <c>Upstream/</c>); everything that must say so reads it: <c>/readyz</c>, the <c>gateway_demo_mode</c> gauge and
/// the channel of every usage record.
/// </summary>
internal sealed record GatewayMode(bool Demo)
{
    /// <summary>The channel every usage record carries in demo mode, so fake traffic is never mistaken for spend.</summary>
    public const string DemoChannel = "demo";

    /// <summary>What <c>/readyz</c> says: <c>demo</c> or <c>upstream</c>.</summary>
    public string Name => Demo ? "demo" : "upstream";
}

using System.Diagnostics.Metrics;

using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Upstream;

/// <summary><c>gateway_demo_mode</c>: 1 while the gateway forwards to the built-in fake upstream, 0 otherwise, so a dashboard or an alert sees a demo.</summary>
internal sealed class DemoModeMetrics
{
    public DemoModeMetrics(IMeterFactory meters, GatewayMode mode)
    {
        var meter = meters.Create(GatewayMeter.Name);
        meter.CreateObservableGauge("gateway.demo_mode", () => mode.Demo ? 1 : 0,
            description: "1 while the gateway forwards to the built-in fake upstream (demo mode), 0 otherwise.");
    }
}

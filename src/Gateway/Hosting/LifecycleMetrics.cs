using System.Diagnostics.Metrics;

using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Hosting;

/// <summary>The lifecycle's gauge: <c>gateway_draining</c>.</summary>
internal sealed class LifecycleMetrics(IMeterFactory meters)
{
    private readonly Meter _meter = meters.Create(GatewayMeter.Name);

    /// <summary>Whether shutdown began, read from the drain whenever a reader collects.</summary>
    public void ObserveDraining(Func<bool> draining) =>
        _meter.CreateObservableGauge("gateway.draining", () => draining() ? 1 : 0,
            description: "1 from the start of shutdown (readiness 503, in-flight requests finishing), 0 while serving.");
}

using System.Diagnostics.Metrics;

using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Storage;

/// <summary>The store's gauge: <c>gateway_store_available</c>.</summary>
internal sealed class StoreMetrics(IMeterFactory meters)
{
    private readonly Meter _meter = meters.Create(GatewayMeter.Name);

    public void ObserveAvailability(Func<bool> available) =>
        _meter.CreateObservableGauge("gateway.store.available", () => available() ? 1 : 0,
            description: "1 while the store answered its last ping, 0 while it does not (readiness then says whether this replica can still serve).");
}

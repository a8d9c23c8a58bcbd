using System.Diagnostics;
using System.Diagnostics.Metrics;

using Routescope.Gateway.Catalog;
using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Fallback;

/// <summary>
/// Instruments of the fallback step, on the gateway's meter. Models are labelled as the catalog knows them (others as
/// <c>other</c>), so a client's made-up model names never become series.
/// </summary>
internal sealed class FallbackMetrics
{
    private readonly Meter _meter;
    private readonly Counter<long> _attempts;
    private readonly Counter<long> _breakerTransitions;
    private readonly ModelCatalog _catalog;

    public FallbackMetrics(IMeterFactory meters, ModelCatalog catalog)
    {
        _catalog = catalog;
        var meter = _meter = meters.Create(GatewayMeter.Name);
        _attempts = meter.CreateCounter<long>("gateway.upstream.attempts", description: "Upstream attempts by model and outcome (served, retryable, skipped).");
        _breakerTransitions = meter.CreateCounter<long>("gateway.circuit_breaker.transitions", description: "Circuit breaker state changes by model and new state.");
    }

    /// <summary>The breakers' states, read from them whenever a reader collects: 0 closed, 1 half-open, 2 open.</summary>
    public void ObserveBreakers(Func<IEnumerable<Measurement<int>>> states) =>
        _meter.CreateObservableGauge("gateway.circuit_breaker.state", states,
            description: "Circuit breaker state per catalog model on this replica: 0 closed, 1 half-open (a probe may pass), 2 open.");

    public void Served(string model) => Attempt(model, "served");

    public void Retryable(string model) => Attempt(model, "retryable");

    public void Skipped(string model) => Attempt(model, "skipped");

    public void BreakerTransition(string model, BreakerState state)
    {
        if (_breakerTransitions.Enabled)
        {
            var tags = new TagList { { "model", _catalog.Label(model) }, { "state", state.ToString() } };
            _breakerTransitions.Add(1, tags);
        }
    }

    private void Attempt(string model, string outcome)
    {
        if (_attempts.Enabled)
        {
            var tags = new TagList { { "model", _catalog.Label(model) }, { "outcome", outcome } };
            _attempts.Add(1, tags);
        }
    }
}

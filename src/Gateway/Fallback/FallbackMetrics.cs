using System.Diagnostics;
using System.Diagnostics.Metrics;

using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Fallback;

/// <summary>Instruments of the fallback step, on the gateway's meter.</summary>
internal sealed class FallbackMetrics
{
    private readonly Counter<long> _attempts;
    private readonly Counter<long> _breakerTransitions;

    public FallbackMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(GatewayMeter.Name);
        _attempts = meter.CreateCounter<long>("gateway.upstream.attempts", description: "Upstream attempts by model and outcome (served, retryable, skipped).");
        _breakerTransitions = meter.CreateCounter<long>("gateway.circuit_breaker.transitions", description: "Circuit breaker state changes by model and new state.");
    }

    public void Served(string model) => Attempt(model, "served");

    public void Retryable(string model) => Attempt(model, "retryable");

    public void Skipped(string model) => Attempt(model, "skipped");

    public void BreakerTransition(string model, BreakerState state)
    {
        if (_breakerTransitions.Enabled)
        {
            var tags = new TagList { { "model", model }, { "state", state.ToString() } };
            _breakerTransitions.Add(1, tags);
        }
    }

    private void Attempt(string model, string outcome)
    {
        if (_attempts.Enabled)
        {
            var tags = new TagList { { "model", model }, { "outcome", outcome } };
            _attempts.Add(1, tags);
        }
    }
}

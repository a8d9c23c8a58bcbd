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

    public void Attempt(string model, string outcome) =>
        _attempts.Add(1, new KeyValuePair<string, object?>("model", model), new KeyValuePair<string, object?>("outcome", outcome));

    public void BreakerTransition(string model, BreakerState state) =>
        _breakerTransitions.Add(1, new KeyValuePair<string, object?>("model", model), new KeyValuePair<string, object?>("state", state.ToString()));
}

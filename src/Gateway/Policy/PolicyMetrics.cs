using System.Diagnostics.Metrics;

using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Policy;

/// <summary>Requests refused by a key's policy, by reason; never by key (ids are not labels).</summary>
internal sealed class PolicyMetrics
{
    private readonly Counter<long> _refused;

    public PolicyMetrics(IMeterFactory meters) =>
        _refused = meters.Create(GatewayMeter.Name).CreateCounter<long>("gateway.policy.refused", description: "Requests a key's policy refused, by reason (model, rpm, concurrency, budget, disabled, unreadable).");

    public void Refused(string reason) => _refused.Add(1, new KeyValuePair<string, object?>("reason", reason));
}

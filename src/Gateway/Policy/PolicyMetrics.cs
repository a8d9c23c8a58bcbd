using System.Diagnostics;
using System.Diagnostics.Metrics;

using Routescope.Gateway.Catalog;
using Routescope.Gateway.Gemini;
using Routescope.Gateway.Keys;
using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Policy;

/// <summary>Requests refused by a key's policy, by reason, key group and model; never by key (ids are not labels).</summary>
internal sealed class PolicyMetrics
{
    /// <summary>The <c>model</c> label of a refusal made before the path was read (rpm, concurrency: the rate limiter runs first).</summary>
    public const string UnreadModelLabel = "none";

    private readonly Counter<long> _refused;
    private readonly ModelCatalog _catalog;

    public PolicyMetrics(IMeterFactory meters, ModelCatalog catalog)
    {
        _catalog = catalog;
        _refused = meters.Create(GatewayMeter.Name).CreateCounter<long>("gateway.policy.refused",
            description: "Requests a key's policy refused, by reason (model, rpm, concurrency, budget, disabled, unreadable), key group and requested model.");
    }

    /// <summary>
    /// Counts one refusal of <paramref name="context"/>'s request. The group comes from the key's ticket; the model
    /// from the request object when the path guard made one (catalog models by name, others as <c>other</c>).
    /// </summary>
    public void Refused(string reason, HttpContext context)
    {
        if (!_refused.Enabled)
        {
            return;
        }

        var route = context.TryGetGatewayRequest()?.Route;
        var tags = new TagList
        {
            { "reason", reason },
            { "group", GatewayCaller.FromPrincipal(context.User)?.Group ?? string.Empty },
            { "model", route is null ? UnreadModelLabel : _catalog.Label(route.Model) },
        };
        _refused.Add(1, tags);
    }
}

using System.Diagnostics.Metrics;

using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Policy.Budgets;

/// <summary>Budget notices by kind and outcome (<c>logged</c>, <c>delivered</c>, <c>failed</c>); never by key.</summary>
internal sealed class BudgetMetrics
{
    private readonly Counter<long> _notices;

    public BudgetMetrics(IMeterFactory meters) =>
        _notices = meters.Create(GatewayMeter.Name).CreateCounter<long>("gateway.budget.notices", description: "Budget notices (soft, hard), by outcome: logged (no webhook), delivered or failed (webhook).");

    public void Notice(string kind, string outcome) =>
        _notices.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("outcome", outcome));
}

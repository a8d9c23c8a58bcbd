using Routescope.Gateway.Keys;

namespace Routescope.Gateway.Policy.Budgets;

/// <summary>What a notice says: whose key (never its secret), which month, the budget and the spend it was judged on.</summary>
internal sealed record BudgetNotice(
    string Kind, GatewayCaller Caller, string Month, decimal BudgetUsd, decimal SpentUsd, decimal ReservedUsd, decimal SoftBudgetRatio, DateTimeOffset At);

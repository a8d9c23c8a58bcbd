namespace Routescope.Gateway.Policy.Budgets;

/// <summary>A key's month: what its records cost (chargeback), and what requests in flight have reserved.</summary>
internal sealed record BudgetSpend(decimal Spent, decimal Reserved);

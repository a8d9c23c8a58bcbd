namespace Routescope.Gateway.Policy.Budgets;

/// <summary>Whether a claim was reserved, and the month's spend and live reservations it was judged against (without it).</summary>
internal sealed record BudgetDecision(bool Granted, decimal Spent, decimal Reserved);

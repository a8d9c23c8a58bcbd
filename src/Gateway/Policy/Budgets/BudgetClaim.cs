namespace Routescope.Gateway.Policy.Budgets;

/// <summary>A request's claim on its key's month: the most it may cost, against the budget, until it expires.</summary>
internal sealed record BudgetClaim(string ReservationId, string KeyId, string Month, decimal Amount, decimal Budget, DateTimeOffset Now, DateTimeOffset ExpiresAt);

using System.Text.Json.Serialization;

namespace Routescope.Gateway.Admin;

/// <summary>A key's (or group's) current month: what its records cost, what requests in flight reserved, and the budget.</summary>
internal sealed record SpendView
{
    /// <summary>The calendar month in UTC, <c>yyyy-MM</c>.</summary>
    public required string Month { get; init; }

    public required decimal SpentUsd { get; init; }

    public required decimal ReservedUsd { get; init; }

    /// <summary>The effective monthly budget; written as null (not left out) when there is none, so "no budget" is explicit.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public decimal? BudgetUsd { get; init; }
}

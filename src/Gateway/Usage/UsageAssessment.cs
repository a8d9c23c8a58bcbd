using Routescope.Gateway.Billing;

namespace Routescope.Gateway.Usage;

/// <summary>What a record bills, what that figure rests on and what else finance should know about it.</summary>
internal sealed record UsageAssessment(BillableUsage Billable, string CostBasis, IReadOnlyList<string> Flags);

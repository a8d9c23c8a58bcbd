namespace Routescope.Gateway.Usage;

/// <summary>The summary endpoint's answer: the same aggregates as the export, plus their totals.</summary>
internal sealed record UsageSummary(DateTimeOffset From, DateTimeOffset To, string GroupBy, IReadOnlyList<UsageAggregate> Rows, UsageTotals Totals);

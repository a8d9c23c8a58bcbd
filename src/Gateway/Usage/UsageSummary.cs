namespace Routescope.Gateway.Usage;

/// <summary>The summary endpoint's answer: the same aggregates as the export, plus their totals.</summary>
internal sealed record UsageSummary(DateTimeOffset From, DateTimeOffset To, string GroupBy, IReadOnlyList<UsageAggregate> Rows, UsageTotals Totals);

internal sealed record UsageTotals(long Requests, long PromptTokens, long CandidatesTokens, long TotalTokens, long Images, decimal Cost);

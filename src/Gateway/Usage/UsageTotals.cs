namespace Routescope.Gateway.Usage;

/// <summary>The sums over every row of a summary.</summary>
internal sealed record UsageTotals(
    long Requests, long PromptTokens, long CandidatesTokens, long TotalTokens, long Images, long Refusals, decimal Cost, decimal MeasuredCost, decimal EstimatedCost);

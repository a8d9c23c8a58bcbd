namespace Routescope.Fake;

/// <summary>The usage the fake reported for one request: its own ledger, for reconciliation tests.</summary>
public sealed record IssuedUsage(int PromptTokens, int CandidatesTokens, int ImageTokens, int TotalTokens, int Images);

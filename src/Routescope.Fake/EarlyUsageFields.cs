namespace Routescope.Fake;

/// <summary>Usage fields a stream's earlier events carry and its final event omits.</summary>
[Flags]
internal enum EarlyUsageFields
{
    None = 0,
    ThoughtsTokenCount = 1,
    CachedContentTokenCount = 2,
    ToolUsePromptTokenCount = 4,
    PromptTokensDetails = 8,
}

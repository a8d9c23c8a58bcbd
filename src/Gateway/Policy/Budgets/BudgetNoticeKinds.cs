namespace Routescope.Gateway.Policy.Budgets;

/// <summary>The notices a key's month gets, each at most once: crossing the soft line, and the first refusal.</summary>
internal static class BudgetNoticeKinds
{
    public const string Soft = "soft";
    public const string Hard = "hard";
}

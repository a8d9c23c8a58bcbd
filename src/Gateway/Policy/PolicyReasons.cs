namespace Routescope.Gateway.Policy;

/// <summary>Why a policy refused a request: the <c>reason</c> label of <c>gateway.policy.refused</c>.</summary>
internal static class PolicyReasons
{
    public const string Model = "model";
    public const string Rpm = "rpm";
    public const string Concurrency = "concurrency";
    public const string Budget = "budget";
    public const string Disabled = "disabled";

    /// <summary>The key's stored policy, or its group's, cannot be read: refused rather than run without limits.</summary>
    public const string Unreadable = "unreadable";
}

namespace Routescope.Gateway.Policy;

/// <summary>Why a policy refused a request: the <c>reason</c> label of <c>gateway.policy.refused</c>.</summary>
internal static class PolicyReasons
{
    public const string Model = "model";
    public const string Rpm = "rpm";
    public const string Concurrency = "concurrency";
    public const string Budget = "budget";
    public const string Disabled = "disabled";
}

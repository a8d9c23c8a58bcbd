namespace Routescope.Gateway.Keys;

/// <summary>Values a policy field takes when neither the key nor its group sets it, where "no limit" is not the meaning.</summary>
internal static class KeyPolicyDefaults
{
    /// <summary>Issue 17: the soft budget notice goes out at 80 % unless someone says otherwise.</summary>
    public const decimal SoftBudgetRatio = 0.8m;

    /// <summary>A key's policy after inheritance from its group (null: the group has no row and no keys, so no defaults).</summary>
    public static KeyPolicy Effective(GatewayKey key, KeyGroup? group)
    {
        var effective = key.OwnPolicy.Over(group?.Policy ?? KeyPolicy.None);
        return effective with { SoftBudgetRatio = effective.SoftBudgetRatio ?? SoftBudgetRatio };
    }
}

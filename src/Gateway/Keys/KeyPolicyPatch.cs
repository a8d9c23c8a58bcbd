namespace Routescope.Gateway.Keys;

/// <summary>
/// A change to a policy, as <c>PATCH /admin/keys/{id}</c> and <c>keys set</c> give it: each field in
/// <see cref="Fields"/> takes its value from <see cref="Values"/> (null clears it, back to the group's value); every other
/// field stays as it is. A JSON <c>null</c> and an absent field differ only here.
/// </summary>
internal sealed record KeyPolicyPatch
{
    public static readonly KeyPolicyPatch Empty = new() { Values = KeyPolicy.None, Fields = KeyPolicyFields.None };

    /// <summary>The new values of <see cref="Fields"/>; the other fields are null.</summary>
    public required KeyPolicy Values { get; init; }

    public required KeyPolicyFields Fields { get; init; }

    public bool Changes(KeyPolicyFields field) => (Fields & field) == field;

    /// <summary>The same patch also changing <paramref name="field"/>, to what <paramref name="set"/> gives it.</summary>
    public KeyPolicyPatch With(KeyPolicyFields field, Func<KeyPolicy, KeyPolicy> set) => new() { Values = set(Values), Fields = Fields | field };

    /// <summary><paramref name="current"/> with this patch's fields changed (starting from it keeps fields a patch cannot name).</summary>
    public KeyPolicy ApplyTo(KeyPolicy current) => current with
    {
        AllowedModels = Changes(KeyPolicyFields.AllowedModels) ? Values.AllowedModels : current.AllowedModels,
        Rpm = Changes(KeyPolicyFields.Rpm) ? Values.Rpm : current.Rpm,
        Concurrency = Changes(KeyPolicyFields.Concurrency) ? Values.Concurrency : current.Concurrency,
        MonthlyBudgetUsd = Changes(KeyPolicyFields.MonthlyBudgetUsd) ? Values.MonthlyBudgetUsd : current.MonthlyBudgetUsd,
        SoftBudgetRatio = Changes(KeyPolicyFields.SoftBudgetRatio) ? Values.SoftBudgetRatio : current.SoftBudgetRatio,
        ExpiresAt = Changes(KeyPolicyFields.ExpiresAt) ? Values.ExpiresAt : current.ExpiresAt,
        Disabled = Changes(KeyPolicyFields.Disabled) ? Values.Disabled : current.Disabled,
    };
}

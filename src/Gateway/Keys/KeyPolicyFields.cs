namespace Routescope.Gateway.Keys;

/// <summary>The fields of a <see cref="KeyPolicy"/>, as a set: which ones a <see cref="KeyPolicyPatch"/> changes.</summary>
[Flags]
internal enum KeyPolicyFields
{
    None = 0,
    AllowedModels = 1 << 0,
    Rpm = 1 << 1,
    Concurrency = 1 << 2,
    MonthlyBudgetUsd = 1 << 3,
    SoftBudgetRatio = 1 << 4,
    ExpiresAt = 1 << 5,
    Disabled = 1 << 6,
}

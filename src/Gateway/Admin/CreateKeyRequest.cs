using Routescope.Gateway.Keys;

namespace Routescope.Gateway.Admin;

/// <summary>Body of <c>POST /admin/keys</c>: who the key is for, and optionally its own policy (null and absent both leave a field unset).</summary>
internal sealed record CreateKeyRequest
{
    public const string NameField = "name";
    public const string GroupField = "group";

    /// <summary>The body's fields besides the policy's, both strings.</summary>
    public static readonly string[] TextFields = [NameField, GroupField];

    public string? Name { get; init; }
    public string? Group { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public IReadOnlyList<string>? AllowedModels { get; init; }
    public int? Rpm { get; init; }
    public int? Concurrency { get; init; }
    public decimal? MonthlyBudgetUsd { get; init; }
    public decimal? SoftBudgetRatio { get; init; }
    public bool? Disabled { get; init; }

    /// <summary>The request for a key named <paramref name="name"/> in <paramref name="group"/> with <paramref name="policy"/> as its own.</summary>
    public static CreateKeyRequest From(string? name, string? group, KeyPolicy policy) => new()
    {
        Name = name,
        Group = group,
        ExpiresAt = policy.ExpiresAt,
        AllowedModels = policy.AllowedModels,
        Rpm = policy.Rpm,
        Concurrency = policy.Concurrency,
        MonthlyBudgetUsd = policy.MonthlyBudgetUsd,
        SoftBudgetRatio = policy.SoftBudgetRatio,
        Disabled = policy.Disabled,
    };

    /// <summary>The key's own policy, its expiry included.</summary>
    public KeyPolicy ToPolicy() => new()
    {
        AllowedModels = AllowedModels,
        Rpm = Rpm,
        Concurrency = Concurrency,
        MonthlyBudgetUsd = MonthlyBudgetUsd,
        SoftBudgetRatio = SoftBudgetRatio,
        ExpiresAt = ExpiresAt,
        Disabled = Disabled,
    };
}

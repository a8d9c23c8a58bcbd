using Routescope.Gateway.Keys;

namespace Routescope.Gateway.Admin;

/// <summary>Body of <c>POST /admin/keys</c>: who the key is for, and optionally its own policy (null and absent both leave a field unset).</summary>
internal sealed record CreateKeyRequest
{
    public string? Name { get; init; }
    public string? Group { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public IReadOnlyList<string>? AllowedModels { get; init; }
    public int? Rpm { get; init; }
    public int? Concurrency { get; init; }
    public decimal? MonthlyBudgetUsd { get; init; }
    public decimal? SoftBudgetRatio { get; init; }
    public bool? Disabled { get; init; }

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

using System.Text.Json.Serialization;

namespace Routescope.Gateway.Keys;

/// <summary>
/// What a key (or, as defaults its keys inherit, a key group) may spend and how fast. Every field is optional: on a
/// key, null means "the group's value"; on a group, "no limit" (or the built-in default). Stored as JSON beside the
/// key or group, so a new field needs no migration.
/// </summary>
internal sealed record KeyPolicy
{
    public static readonly KeyPolicy None = new();

    /// <summary>What a stored policy that cannot be read stands for: no fields, and <see cref="Unreadable"/>.</summary>
    public static readonly KeyPolicy Damaged = new() { Unreadable = true };

    /// <summary>Exact model names or <c>*</c> patterns; null: every model the catalog offers.</summary>
    public IReadOnlyList<string>? AllowedModels { get; init; }

    /// <summary>Requests per minute.</summary>
    public int? Rpm { get; init; }

    /// <summary>Requests in flight at once.</summary>
    public int? Concurrency { get; init; }

    /// <summary>Spend per calendar month (UTC) in the chargeback cost, with a hard stop.</summary>
    public decimal? MonthlyBudgetUsd { get; init; }

    /// <summary>Share of the budget at which a notice goes out (0-1; 0.8 when no one says).</summary>
    public decimal? SoftBudgetRatio { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    public bool? Disabled { get; init; }

    /// <summary>
    /// The stored policy could not be read (not a policy's JSON): its limits are unknown, so its key's requests are
    /// refused rather than run without them. Never stored; the admin API shows an error in its place.
    /// </summary>
    [JsonIgnore]
    public bool Unreadable { get; init; }

    /// <summary>
    /// This policy's fields where set, <paramref name="defaults"/>' elsewhere (a key over its group), except the two
    /// that stop a key: disabled on either side disables it, and the earlier expiry wins, so that a group-wide stop
    /// reaches a key that was re-enabled or given a date of its own.
    /// </summary>
    public KeyPolicy Over(KeyPolicy defaults) => new()
    {
        AllowedModels = AllowedModels ?? defaults.AllowedModels,
        Rpm = Rpm ?? defaults.Rpm,
        Concurrency = Concurrency ?? defaults.Concurrency,
        MonthlyBudgetUsd = MonthlyBudgetUsd ?? defaults.MonthlyBudgetUsd,
        SoftBudgetRatio = SoftBudgetRatio ?? defaults.SoftBudgetRatio,
        ExpiresAt = ExpiresAt is { } own && defaults.ExpiresAt is { } inherited ? (own < inherited ? own : inherited) : ExpiresAt ?? defaults.ExpiresAt,
        Disabled = Disabled == true || defaults.Disabled == true ? true : Disabled ?? defaults.Disabled,
        // A damaged group policy leaves its keys' inherited limits unknown as much as a damaged key policy does.
        Unreadable = Unreadable || defaults.Unreadable,
    };

    public bool Equals(KeyPolicy? other) =>
        other is not null
        && (AllowedModels ?? []).SequenceEqual(other.AllowedModels ?? [], StringComparer.Ordinal) && (AllowedModels is null) == (other.AllowedModels is null)
        && Rpm == other.Rpm && Concurrency == other.Concurrency && MonthlyBudgetUsd == other.MonthlyBudgetUsd
        && SoftBudgetRatio == other.SoftBudgetRatio && ExpiresAt == other.ExpiresAt && Disabled == other.Disabled
        && Unreadable == other.Unreadable;

    public override int GetHashCode() => HashCode.Combine(AllowedModels?.Count, Rpm, Concurrency, MonthlyBudgetUsd, SoftBudgetRatio, ExpiresAt, Disabled, Unreadable);
}

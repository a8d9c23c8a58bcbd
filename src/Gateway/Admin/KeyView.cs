using System.Text.Json.Serialization;

using Routescope.Gateway.Keys;
using Routescope.Gateway.Policy.Budgets;

namespace Routescope.Gateway.Admin;

/// <summary>A key as the admin API shows it: the plain key only right after creation, the hash never.</summary>
internal sealed record KeyView
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Group { get; init; }
    public required string Prefix { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? ExpiresAt { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary><c>active</c>, <c>expired</c> or <c>revoked</c>.</summary>
    public required string Status { get; init; }

    /// <summary>Present only in the creation response.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Key { get; init; }

    /// <summary>The key's own policy fields (expiry included); unset ones are left out. Not in the list, which stays one read.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public KeyPolicy? Policy { get; init; }

    /// <summary>What applies after inheritance from the group; a field left out is not limited.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public KeyPolicy? EffectivePolicy { get; init; }

    /// <summary>
    /// Set, in place of <see cref="Policy"/> and <see cref="EffectivePolicy"/>, when the stored policy of the key (or of
    /// its group) cannot be read: the key's requests are refused until a PATCH or PUT sets one again.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PolicyError { get; init; }

    /// <summary>The current month's spend; only in <c>GET /admin/keys/{id}</c> (and PATCH, which answers the same).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SpendView? Spend { get; init; }

    public static KeyView From(GatewayKey key, DateTimeOffset now, string? secret = null) => new()
    {
        Id = key.Id,
        Name = key.Name,
        Group = key.Group,
        Prefix = key.Prefix,
        CreatedAt = key.CreatedAt,
        ExpiresAt = key.ExpiresAt,
        RevokedAt = key.RevokedAt,
        Status = key.RevokedAt is not null ? "revoked" : key.ExpiresAt is { } expires && expires <= now ? "expired" : "active",
        Key = secret,
        PolicyError = key.Policy.Unreadable ? OwnPolicyError : null,
    };

    /// <summary>What a damaged key policy shows; a PATCH replaces it with the fields it gives.</summary>
    public const string OwnPolicyError = "the key's stored policy cannot be read; its requests are refused until PATCH /admin/keys/{id} sets the policy again";

    /// <summary>What a key of a group whose policy is damaged shows.</summary>
    public const string GroupPolicyError = "the group's stored policy cannot be read; the key's requests are refused until PUT /admin/groups/{name} sets it again";

    /// <summary>
    /// The key with its policy, own and effective, and this month's spend (<c>GET /admin/keys/{id}</c>), and the status
    /// its requests meet: a group's expiry or disable counts as the key's.
    /// </summary>
    public static KeyView Details(GatewayKey key, KeyGroup? group, DateTimeOffset now, string month, BudgetSpend spend)
    {
        var effective = KeyPolicyDefaults.Effective(key, group);
        // An unreadable policy refuses the key's requests as disabled does (403).
        var status = key.RevokedAt is not null ? "revoked"
            : effective.ExpiresAt is { } expires && expires <= now ? "expired"
            : effective.Disabled == true || effective.Unreadable ? "disabled"
            : "active";
        return From(key, now) with
        {
            Policy = key.Policy.Unreadable ? null : key.OwnPolicy,
            EffectivePolicy = effective.Unreadable ? null : effective,
            PolicyError = key.Policy.Unreadable ? OwnPolicyError : effective.Unreadable ? GroupPolicyError : null,
            Status = status,
            Spend = new SpendView { Month = month, SpentUsd = spend.Spent, ReservedUsd = spend.Reserved, BudgetUsd = effective.MonthlyBudgetUsd },
        };
    }
}

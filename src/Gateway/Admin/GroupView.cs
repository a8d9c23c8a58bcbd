using System.Text.Json.Serialization;

using Routescope.Gateway.Keys;

namespace Routescope.Gateway.Admin;

/// <summary>A key group as the admin API shows it: the defaults its keys inherit.</summary>
internal sealed record GroupView
{
    public required string Name { get; init; }

    /// <summary>
    /// The group's policy; unset fields are left out (an empty object when only keys name the group). Left out, with
    /// <see cref="PolicyError"/> in its place, when the stored policy cannot be read.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public KeyPolicy? Policy { get; init; }

    /// <summary>Set when the group's stored policy cannot be read: its keys' requests are refused until a PUT sets it again.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PolicyError { get; init; }

    /// <summary>When the group was last put; left out for a group only keys name.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>
    /// The month so far over the group's keys, in <c>GET /admin/groups</c> and <c>GET /admin/groups/{name}</c> (not in a PUT's answer). Its <c>budgetUsd</c> is null: a
    /// group's budget is each key's default, not a cap on the group.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SpendView? Spend { get; init; }

    public static GroupView From(KeyGroup group) => new()
    {
        Name = group.Name,
        Policy = group.Policy.Unreadable ? null : group.Policy,
        PolicyError = group.Policy.Unreadable ? "the group's stored policy cannot be read; its keys' requests are refused until PUT /admin/groups/{name} sets it again" : null,
        UpdatedAt = group.UpdatedAt,
    };
}

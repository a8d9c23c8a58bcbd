using System.Text.Json.Serialization;

using Routescope.Gateway.Keys;

namespace Routescope.Gateway.Admin;

/// <summary>A key group as the admin API shows it: the defaults its keys inherit.</summary>
internal sealed record GroupView
{
    public required string Name { get; init; }

    /// <summary>The group's policy; unset fields are left out (an empty object when only keys name the group).</summary>
    public required KeyPolicy Policy { get; init; }

    /// <summary>When the group was last put; left out for a group only keys name.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>
    /// The month so far over the group's keys, in <c>GET /admin/groups</c> and <c>GET /admin/groups/{name}</c> (not in a PUT's answer). Its <c>budgetUsd</c> is null: a
    /// group's budget is each key's default, not a cap on the group.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SpendView? Spend { get; init; }

    public static GroupView From(KeyGroup group) => new() { Name = group.Name, Policy = group.Policy, UpdatedAt = group.UpdatedAt };
}

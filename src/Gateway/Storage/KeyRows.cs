using System.Data.Common;

using Routescope.Gateway.Keys;

namespace Routescope.Gateway.Storage;

/// <summary>The columns both key stores select, and the one mapping from a row to a key or a group.</summary>
internal static class KeyRows
{
    public const string List = "id, name, key_group, prefix, created_at, expires_at, revoked_at, policy";

    /// <summary>
    /// Groups put, and (policy-less, never updated) groups only keys name, as <c>name, policy, updated_at</c>. Each
    /// store orders it by name in byte order (PostgreSQL's collation might not).
    /// </summary>
    public const string Groups = """
        SELECT name, policy, updated_at FROM key_groups
        UNION ALL
        SELECT key_group, NULL, NULL FROM (SELECT DISTINCT key_group FROM gateway_keys WHERE key_group NOT IN (SELECT name FROM key_groups)) AS named
        """;

    /// <summary>The group named by the parameter <c>@name</c>, put or only named by keys, as <see cref="Groups"/> has it.</summary>
    public const string GroupByName = """
        SELECT name, policy, updated_at FROM key_groups WHERE name = @name
        UNION ALL
        SELECT key_group, NULL, NULL FROM gateway_keys WHERE key_group = @name AND NOT EXISTS (SELECT 1 FROM key_groups WHERE name = @name)
        LIMIT 1
        """;

    public static GatewayKey Read(DbDataReader reader, Func<DbDataReader, int, DateTimeOffset> time) => new()
    {
        Id = reader.GetString(0),
        Name = reader.GetString(1),
        Group = reader.GetString(2),
        Prefix = reader.GetString(3),
        CreatedAt = time(reader, 4),
        ExpiresAt = reader.IsDBNull(5) ? null : time(reader, 5),
        RevokedAt = reader.IsDBNull(6) ? null : time(reader, 6),
        // The expiry is the expires_at column; a policy column never holds one.
        Policy = PolicyColumn.Read(reader, 7) with { ExpiresAt = null },
    };

    /// <summary>Every row of a result selected as <see cref="List"/>.</summary>
    public static async Task<IReadOnlyList<GatewayKey>> ReadAllAsync(DbDataReader reader, Func<DbDataReader, int, DateTimeOffset> time, CancellationToken cancellationToken)
    {
        var keys = new List<GatewayKey>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(Read(reader, time));
        }

        return keys;
    }

    /// <summary>A row of <see cref="Groups"/>: name, policy, updated_at.</summary>
    public static KeyGroup ReadGroup(DbDataReader reader, Func<DbDataReader, int, DateTimeOffset> time) => new()
    {
        Name = reader.GetString(0),
        Policy = PolicyColumn.Read(reader, 1),
        UpdatedAt = reader.IsDBNull(2) ? null : time(reader, 2),
    };

    public static async Task<IReadOnlyList<KeyGroup>> ReadGroupsAsync(DbDataReader reader, Func<DbDataReader, int, DateTimeOffset> time, CancellationToken cancellationToken)
    {
        var groups = new List<KeyGroup>();
        while (await reader.ReadAsync(cancellationToken))
        {
            groups.Add(ReadGroup(reader, time));
        }

        return groups;
    }

    /// <summary>A key's own policy as its policy column keeps it: without the expiry, which has a column of its own.</summary>
    public static object PolicyOf(KeyPolicy ownPolicy) => PolicyColumn.Write(ownPolicy with { ExpiresAt = null });

    /// <summary>A group put needs its update time; the store has no clock of its own.</summary>
    public static DateTimeOffset UpdatedAt(KeyGroup group) =>
        group.UpdatedAt ?? throw new ArgumentException("A group is put with the time it was updated.", nameof(group));
}

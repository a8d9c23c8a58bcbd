using System.Data.Common;

using Routescope.Gateway.Keys;

namespace Routescope.Gateway.Storage;

/// <summary>The columns both key stores select, and the one mapping from a row to a key.</summary>
internal static class KeyRows
{
    public const string List = "id, name, key_group, prefix, created_at, expires_at, revoked_at";

    public static GatewayKey Read(DbDataReader reader, Func<DbDataReader, int, DateTimeOffset> time) => new()
    {
        Id = reader.GetString(0),
        Name = reader.GetString(1),
        Group = reader.GetString(2),
        Prefix = reader.GetString(3),
        CreatedAt = time(reader, 4),
        ExpiresAt = reader.IsDBNull(5) ? null : time(reader, 5),
        RevokedAt = reader.IsDBNull(6) ? null : time(reader, 6),
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
}

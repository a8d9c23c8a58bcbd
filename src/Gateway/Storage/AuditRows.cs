using System.Data.Common;
using System.Text.Json;

using Routescope.Gateway.Audit;

namespace Routescope.Gateway.Storage;

/// <summary>The audit log's columns, as both stores keep them: the changes as JSON text, the rest a column each.</summary>
internal static class AuditRows
{
    public const string List = "id, at, actor, origin, action, key_id, key_name, key_group, changes";

    public static string ChangesOf(AuditEntry entry) => JsonSerializer.Serialize(entry.Changes.ToArray(), StorageJsonContext.Default.AuditChangeArray);

    public static AuditEntry Read(DbDataReader reader, Func<DbDataReader, int, DateTimeOffset> time) => new()
    {
        Id = reader.GetInt64(0),
        At = time(reader, 1),
        Actor = reader.GetString(2),
        Origin = reader.IsDBNull(3) ? null : reader.GetString(3),
        Action = reader.GetString(4),
        KeyId = reader.IsDBNull(5) ? null : reader.GetString(5),
        KeyName = reader.IsDBNull(6) ? null : reader.GetString(6),
        Group = reader.IsDBNull(7) ? null : reader.GetString(7),
        Changes = Changes(reader.GetString(8)),
    };

    public static async Task<IReadOnlyList<AuditEntry>> ReadAllAsync(DbDataReader reader, Func<DbDataReader, int, DateTimeOffset> time, CancellationToken cancellationToken)
    {
        var entries = new List<AuditEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(Read(reader, time));
        }

        return entries;
    }

    /// <summary>
    /// The query's conditions, each bound to a parameter named by <paramref name="parameter"/> (<c>$key</c>, <c>@key</c>…),
    /// and the names it binds; no input ever becomes SQL text.
    /// </summary>
    public static (string Sql, IReadOnlyList<(string Name, object Value)> Parameters) Select(AuditQuery query, Func<string, string> parameter)
    {
        var conditions = new List<string>();
        var parameters = new List<(string, object)>();
        void Add(string condition, string name, object value)
        {
            conditions.Add(condition.Replace("{p}", parameter(name), StringComparison.Ordinal));
            parameters.Add((name, value));
        }

        if (query.KeyId is { } keyId)
        {
            Add("key_id = {p}", "key", keyId);
        }

        if (query.From is { } from)
        {
            Add("at >= {p}", "from", from);
        }

        if (query.To is { } to)
        {
            Add("at < {p}", "to", to);
        }

        if (query.Before is { } before)
        {
            Add("id < {p}", "before", before);
        }

        var where = conditions.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", conditions);
        return ($"SELECT {List} FROM audit_log{where} ORDER BY id DESC LIMIT {parameter("limit")}", [.. parameters, ("limit", query.Limit)]);
    }

    // A damaged changes column must not take the whole log down with it: the entry is still shown, without its fields.
    private static AuditChange[] Changes(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, StorageJsonContext.Default.AuditChangeArray) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}

using Microsoft.Data.Sqlite;

using Routescope.Gateway.Audit;

namespace Routescope.Gateway.Storage.Sqlite;

internal sealed class SqliteAuditStore(SqliteDatabase database) : IAuditStore
{
    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var (sql, parameters) = AuditRows.Select(query, name => "$" + name);
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue("$" + name, value is DateTimeOffset time ? StoreTime.Format(time) : value);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await AuditRows.ReadAllAsync(reader, StoreTime.Read, cancellationToken);
    }

    /// <summary>Keeps the entry in the transaction of the change it records.</summary>
    public static async Task InsertAsync(SqliteConnection connection, SqliteTransaction transaction, AuditEntry entry, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO audit_log (at, actor, origin, action, key_id, key_name, key_group, changes)
            VALUES ($at, $actor, $origin, $action, $key, $name, $group, $changes)
            """;
        command.Parameters.AddWithValue("$at", StoreTime.Format(entry.At));
        command.Parameters.AddWithValue("$actor", entry.Actor);
        command.Parameters.AddWithValue("$origin", (object?)entry.Origin ?? DBNull.Value);
        command.Parameters.AddWithValue("$action", entry.Action);
        command.Parameters.AddWithValue("$key", (object?)entry.KeyId ?? DBNull.Value);
        command.Parameters.AddWithValue("$name", (object?)entry.KeyName ?? DBNull.Value);
        command.Parameters.AddWithValue("$group", (object?)entry.Group ?? DBNull.Value);
        command.Parameters.AddWithValue("$changes", AuditRows.ChangesOf(entry));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

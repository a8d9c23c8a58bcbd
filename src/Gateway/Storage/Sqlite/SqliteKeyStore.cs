using Microsoft.Data.Sqlite;

using Routescope.Gateway.Audit;
using Routescope.Gateway.Keys;

namespace Routescope.Gateway.Storage.Sqlite;

internal sealed class SqliteKeyStore(SqliteDatabase database) : IKeyStore
{
    public async Task InsertAsync(GatewayKey key, string keyHash, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO gateway_keys (id, name, key_group, prefix, key_hash, created_at, expires_at, revoked_at, policy)
            VALUES ($id, $name, $group, $prefix, $hash, $created, $expires, NULL, $policy)
            """;
        command.Parameters.AddWithValue("$id", key.Id);
        command.Parameters.AddWithValue("$name", key.Name);
        command.Parameters.AddWithValue("$group", key.Group);
        command.Parameters.AddWithValue("$prefix", key.Prefix);
        command.Parameters.AddWithValue("$hash", keyHash);
        command.Parameters.AddWithValue("$created", StoreTime.Format(key.CreatedAt));
        command.Parameters.AddWithValue("$expires", key.ExpiresAt is { } expires ? StoreTime.Format(expires) : DBNull.Value);
        command.Parameters.AddWithValue("$policy", KeyRows.PolicyOf(key.Policy));
        await command.ExecuteNonQueryAsync(cancellationToken);
        await SqliteAuditStore.InsertAsync(connection, transaction, audit, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public Task<GatewayKey?> FindByHashAsync(string keyHash, CancellationToken cancellationToken) => FindOneAsync("key_hash", keyHash, cancellationToken);

    public async Task<IReadOnlyList<GatewayKey>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {KeyRows.List} FROM gateway_keys ORDER BY created_at, id";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await KeyRows.ReadAllAsync(reader, StoreTime.Read, cancellationToken);
    }

    public Task<GatewayKey?> FindByIdAsync(string id, CancellationToken cancellationToken) => FindOneAsync("id", id, cancellationToken);

    /// <summary>The key whose unique <paramref name="column"/> (a name from this file, never input) holds the value.</summary>
    private async Task<GatewayKey?> FindOneAsync(string column, string value, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {KeyRows.List} FROM gateway_keys WHERE {column} = $value";
        command.Parameters.AddWithValue("$value", value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<string?> UpdatePolicyAsync(string id, KeyPolicy policy, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "UPDATE gateway_keys SET policy = $policy, expires_at = $expires WHERE id = $id RETURNING key_hash";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$policy", KeyRows.PolicyOf(policy));
        command.Parameters.AddWithValue("$expires", policy.ExpiresAt is { } expires ? StoreTime.Format(expires) : DBNull.Value);
        return await AuditedAsync(connection, transaction, await command.ExecuteScalarAsync(cancellationToken) as string, audit, cancellationToken);
    }

    public async Task<KeyGroup?> FindGroupAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = KeyRows.GroupByName;
        command.Parameters.AddWithValue("@name", name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? KeyRows.ReadGroup(reader, StoreTime.Read) : null;
    }

    public async Task<IReadOnlyList<KeyGroup>> ListGroupsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // SQLite compares text bytewise unless told otherwise, the order PostgreSQL gets with COLLATE "C".
        command.CommandText = $"SELECT name, policy, updated_at FROM ({KeyRows.Groups}) AS g ORDER BY name";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await KeyRows.ReadGroupsAsync(reader, StoreTime.Read, cancellationToken);
    }

    public async Task PutGroupAsync(KeyGroup group, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO key_groups (name, policy, updated_at) VALUES ($name, $policy, $at)
            ON CONFLICT (name) DO UPDATE SET policy = excluded.policy, updated_at = excluded.updated_at
            """;
        command.Parameters.AddWithValue("$name", group.Name);
        command.Parameters.AddWithValue("$policy", PolicyColumn.Write(group.Policy));
        command.Parameters.AddWithValue("$at", StoreTime.Format(KeyRows.UpdatedAt(group)));
        await command.ExecuteNonQueryAsync(cancellationToken);
        await SqliteAuditStore.InsertAsync(connection, transaction, audit, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<string?> RevokeAsync(string id, DateTimeOffset revokedAt, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            UPDATE gateway_keys SET revoked_at = COALESCE(revoked_at, $at) WHERE id = $id
            RETURNING key_hash
            """;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$at", StoreTime.Format(revokedAt));
        return await AuditedAsync(connection, transaction, await command.ExecuteScalarAsync(cancellationToken) as string, audit, cancellationToken);
    }

    /// <summary>Commits the change with its entry when it found its key (<paramref name="hash"/> set); else nothing is kept.</summary>
    private static async Task<string?> AuditedAsync(SqliteConnection connection, SqliteTransaction transaction, string? hash, AuditEntry audit, CancellationToken cancellationToken)
    {
        if (hash is not null)
        {
            await SqliteAuditStore.InsertAsync(connection, transaction, audit, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return hash;
    }

    private static GatewayKey Read(System.Data.Common.DbDataReader reader) => KeyRows.Read(reader, StoreTime.Read);
}

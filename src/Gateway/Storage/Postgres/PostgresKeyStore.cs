using Npgsql;

using NpgsqlTypes;

using Routescope.Gateway.Audit;
using Routescope.Gateway.Keys;

namespace Routescope.Gateway.Storage.Postgres;

internal sealed class PostgresKeyStore(PostgresDatabase database) : IKeyStore
{
    public async Task InsertAsync(GatewayKey key, string keyHash, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "INSERT INTO gateway_keys (id, name, key_group, prefix, key_hash, created_at, expires_at, policy) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", connection)
        {
            Parameters =
            {
                new() { Value = key.Id },
                new() { Value = key.Name },
                new() { Value = key.Group },
                new() { Value = key.Prefix },
                new() { Value = keyHash },
                new() { Value = key.CreatedAt.UtcDateTime },
                Expiry(key.ExpiresAt),
                new() { Value = KeyRows.PolicyOf(key.Policy), NpgsqlDbType = NpgsqlDbType.Text },
            },
        };
        await command.ExecuteNonQueryAsync(cancellationToken);
        await PostgresAuditStore.InsertAsync(connection, audit, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public Task<GatewayKey?> FindByHashAsync(string keyHash, CancellationToken cancellationToken) => FindOneAsync("key_hash", keyHash, cancellationToken);

    public async Task<IReadOnlyList<GatewayKey>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT {KeyRows.List} FROM gateway_keys ORDER BY created_at, id", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await KeyRows.ReadAllAsync(reader, PostgresTime.Read, cancellationToken);
    }

    public Task<GatewayKey?> FindByIdAsync(string id, CancellationToken cancellationToken) => FindOneAsync("id", id, cancellationToken);

    /// <summary>The key whose unique <paramref name="column"/> (a name from this file, never input) holds the value.</summary>
    private async Task<GatewayKey?> FindOneAsync(string column, string value, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT {KeyRows.List} FROM gateway_keys WHERE {column} = $1", connection) { Parameters = { new() { Value = value } } };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<string?> UpdatePolicyAsync(string id, KeyPolicy policy, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("UPDATE gateway_keys SET policy = $2, expires_at = $3 WHERE id = $1 RETURNING key_hash", connection)
        {
            Parameters =
            {
                new() { Value = id },
                new() { Value = KeyRows.PolicyOf(policy), NpgsqlDbType = NpgsqlDbType.Text },
                Expiry(policy.ExpiresAt),
            },
        };
        return await AuditedAsync(connection, transaction, await command.ExecuteScalarAsync(cancellationToken) as string, audit, cancellationToken);
    }

    public async Task<KeyGroup?> FindGroupAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(KeyRows.GroupByName, connection) { Parameters = { new("name", name) } };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? KeyRows.ReadGroup(reader, PostgresTime.Read) : null;
    }

    public async Task<IReadOnlyList<KeyGroup>> ListGroupsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // The database's collation may sort case- or punctuation-insensitively; "C" is byte order, as in SQLite.
        await using var command = new NpgsqlCommand($"SELECT name, policy, updated_at FROM ({KeyRows.Groups}) AS g ORDER BY name COLLATE \"C\"", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await KeyRows.ReadGroupsAsync(reader, PostgresTime.Read, cancellationToken);
    }

    public async Task PutGroupAsync(KeyGroup group, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            INSERT INTO key_groups (name, policy, updated_at) VALUES ($1, $2, $3)
            ON CONFLICT (name) DO UPDATE SET policy = excluded.policy, updated_at = excluded.updated_at
            """, connection)
        {
            Parameters =
            {
                new() { Value = group.Name },
                new() { Value = PolicyColumn.Write(group.Policy), NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = KeyRows.UpdatedAt(group).UtcDateTime },
            },
        };
        await command.ExecuteNonQueryAsync(cancellationToken);
        await PostgresAuditStore.InsertAsync(connection, audit, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<string?> RevokeAsync(string id, DateTimeOffset revokedAt, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("UPDATE gateway_keys SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING key_hash", connection)
        {
            Parameters = { new() { Value = id }, new() { Value = revokedAt.UtcDateTime } },
        };
        return await AuditedAsync(connection, transaction, await command.ExecuteScalarAsync(cancellationToken) as string, audit, cancellationToken);
    }

    /// <summary>Commits the change with its entry when it found its key (<paramref name="hash"/> set); else nothing is kept.</summary>
    private static async Task<string?> AuditedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string? hash, AuditEntry audit, CancellationToken cancellationToken)
    {
        if (hash is not null)
        {
            await PostgresAuditStore.InsertAsync(connection, audit, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return hash;
    }

    private static NpgsqlParameter Expiry(DateTimeOffset? expiresAt) =>
        new() { Value = expiresAt is { } expires ? expires.UtcDateTime : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz };

    private static GatewayKey Read(System.Data.Common.DbDataReader reader) => KeyRows.Read(reader, PostgresTime.Read);
}

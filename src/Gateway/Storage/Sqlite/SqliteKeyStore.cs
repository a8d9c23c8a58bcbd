using Routescope.Gateway.Keys;

namespace Routescope.Gateway.Storage.Sqlite;

internal sealed class SqliteKeyStore(SqliteDatabase database) : IKeyStore
{
    public async Task InsertAsync(GatewayKey key, string keyHash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO gateway_keys (id, name, key_group, prefix, key_hash, created_at, expires_at, revoked_at)
            VALUES ($id, $name, $group, $prefix, $hash, $created, $expires, NULL)
            """;
        command.Parameters.AddWithValue("$id", key.Id);
        command.Parameters.AddWithValue("$name", key.Name);
        command.Parameters.AddWithValue("$group", key.Group);
        command.Parameters.AddWithValue("$prefix", key.Prefix);
        command.Parameters.AddWithValue("$hash", keyHash);
        command.Parameters.AddWithValue("$created", StoreTime.Format(key.CreatedAt));
        command.Parameters.AddWithValue("$expires", key.ExpiresAt is { } expires ? StoreTime.Format(expires) : DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<GatewayKey?> FindByHashAsync(string keyHash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {KeyRows.List} FROM gateway_keys WHERE key_hash = $hash";
        command.Parameters.AddWithValue("$hash", keyHash);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<GatewayKey>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {KeyRows.List} FROM gateway_keys ORDER BY created_at, id";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await KeyRows.ReadAllAsync(reader, StoreTime.Read, cancellationToken);
    }

    public async Task<string?> RevokeAsync(string id, DateTimeOffset revokedAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE gateway_keys SET revoked_at = COALESCE(revoked_at, $at) WHERE id = $id
            RETURNING key_hash
            """;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$at", StoreTime.Format(revokedAt));
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private static GatewayKey Read(System.Data.Common.DbDataReader reader) => KeyRows.Read(reader, StoreTime.Read);
}

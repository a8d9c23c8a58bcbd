using Npgsql;

using Routescope.Gateway.Keys;

namespace Routescope.Gateway.Storage.Postgres;

internal sealed class PostgresKeyStore(PostgresDatabase database) : IKeyStore
{
    public async Task InsertAsync(GatewayKey key, string keyHash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "INSERT INTO gateway_keys (id, name, key_group, prefix, key_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)", connection)
        {
            Parameters =
            {
                new() { Value = key.Id },
                new() { Value = key.Name },
                new() { Value = key.Group },
                new() { Value = key.Prefix },
                new() { Value = keyHash },
                new() { Value = key.CreatedAt.UtcDateTime },
                new() { Value = key.ExpiresAt is { } expires ? expires.UtcDateTime : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz },
            },
        };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<GatewayKey?> FindByHashAsync(string keyHash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT {KeyRows.List} FROM gateway_keys WHERE key_hash = $1", connection) { Parameters = { new() { Value = keyHash } } };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<GatewayKey>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT {KeyRows.List} FROM gateway_keys ORDER BY created_at, id", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await KeyRows.ReadAllAsync(reader, PostgresTime.Read, cancellationToken);
    }

    public async Task<string?> RevokeAsync(string id, DateTimeOffset revokedAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("UPDATE gateway_keys SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING key_hash", connection)
        {
            Parameters = { new() { Value = id }, new() { Value = revokedAt.UtcDateTime } },
        };
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private static GatewayKey Read(System.Data.Common.DbDataReader reader) => KeyRows.Read(reader, PostgresTime.Read);
}

using Npgsql;

using NpgsqlTypes;

using Routescope.Gateway.Audit;

namespace Routescope.Gateway.Storage.Postgres;

internal sealed class PostgresAuditStore(PostgresDatabase database) : IAuditStore
{
    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var (sql, parameters) = AuditRows.Select(query, name => "@" + name);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(value is DateTimeOffset time
                ? new NpgsqlParameter(name, NpgsqlDbType.TimestampTz) { Value = time.UtcDateTime }
                : new NpgsqlParameter(name, value));
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await AuditRows.ReadAllAsync(reader, PostgresTime.Read, cancellationToken);
    }

    /// <summary>Keeps the entry in the transaction of the change it records (the connection's open one).</summary>
    public static async Task InsertAsync(NpgsqlConnection connection, AuditEntry entry, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO audit_log (at, actor, origin, action, key_id, key_name, key_group, changes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", connection)
        {
            Parameters =
            {
                new() { Value = entry.At.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz },
                new() { Value = entry.Actor },
                Text(entry.Origin),
                new() { Value = entry.Action },
                Text(entry.KeyId),
                Text(entry.KeyName),
                Text(entry.Group),
                new() { Value = AuditRows.ChangesOf(entry) },
            },
        };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };
}

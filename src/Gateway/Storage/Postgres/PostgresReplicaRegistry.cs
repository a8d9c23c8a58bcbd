using Npgsql;

using Routescope.Gateway.Policy.Replicas;

namespace Routescope.Gateway.Storage.Postgres;

/// <summary>
/// Replicas in <c>gateway_replicas</c>, stamped with the database's <c>now()</c> (one clock for all); rows long stale
/// (a replica killed without leaving) are swept by whoever beats next.
/// </summary>
internal sealed class PostgresReplicaRegistry(PostgresDatabase database) : IReplicaRegistry
{
    public async Task<IReadOnlyList<string>> HeartbeatAsync(string replicaId, TimeSpan liveness, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("INSERT INTO gateway_replicas (id, seen_at) VALUES ($1, now()) ON CONFLICT (id) DO UPDATE SET seen_at = now()") { Parameters = { new() { Value = replicaId } } },
                new NpgsqlBatchCommand("DELETE FROM gateway_replicas WHERE seen_at < now() - $1 * 10") { Parameters = { new() { Value = liveness } } },
                new NpgsqlBatchCommand("SELECT id FROM gateway_replicas WHERE seen_at >= now() - $1 ORDER BY id COLLATE \"C\"") { Parameters = { new() { Value = liveness } } },
            },
        };
        var live = new List<string>();
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        do
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                live.Add(reader.GetString(0));
            }
        }
        while (await reader.NextResultAsync(cancellationToken));

        return live;
    }

    public async Task LeaveAsync(string replicaId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("DELETE FROM gateway_replicas WHERE id = $1", connection) { Parameters = { new() { Value = replicaId } } };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

using Microsoft.Data.Sqlite;

using Routescope.Gateway.Policy.Replicas;

namespace Routescope.Gateway.Storage.Sqlite;

/// <summary>
/// Replicas in <c>gateway_replicas</c>. SQLite serves one node, but gateways on that node may share its file (each
/// with a data directory of its own): they split the limits too. One host, so one clock: each stamps its own time.
/// </summary>
internal sealed class SqliteReplicaRegistry(SqliteDatabase database, TimeProvider time) : IReplicaRegistry
{
    public async Task<IReadOnlyList<string>> HeartbeatAsync(string replicaId, TimeSpan liveness, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // A locked store must not hold a heartbeat (nor a start or a stop) for the busy timeout: a second is plenty.
        command.CommandTimeout = 1;
        command.CommandText = """
            INSERT INTO gateway_replicas (id, seen_at) VALUES ($id, $now) ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at;
            DELETE FROM gateway_replicas WHERE seen_at < $swept;
            SELECT id FROM gateway_replicas WHERE seen_at >= $live ORDER BY id;
            """;
        command.Parameters.AddWithValue("$id", replicaId);
        command.Parameters.AddWithValue("$now", StoreTime.Format(now));
        command.Parameters.AddWithValue("$swept", StoreTime.Format(now - (liveness * 10)));
        command.Parameters.AddWithValue("$live", StoreTime.Format(now - liveness));
        var live = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            live.Add(reader.GetString(0));
        }

        return live;
    }

    public async Task LeaveAsync(string replicaId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandTimeout = 1;
        command.CommandText = "DELETE FROM gateway_replicas WHERE id = $id";
        command.Parameters.Add(new SqliteParameter("$id", replicaId));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

using Microsoft.Data.Sqlite;

using Routescope.Gateway.Usage.Periods;

namespace Routescope.Gateway.Storage.Sqlite;

/// <summary>
/// Closed months in <c>usage_periods</c>, backlogs in <c>usage_backlogs</c>. Gateways sharing the file are on one host,
/// so one clock: each stamps its own time. Closing is an immediate transaction, as every record write is: SQLite lets
/// one of them write at a time, so a write reads the closed months either before a close or after it, never between.
/// </summary>
internal sealed class SqliteUsagePeriodStore(SqliteDatabase database, TimeProvider time) : IUsagePeriodStore
{
    public async Task ReportBacklogAsync(string replicaId, long records, DateTimeOffset? oldest, TimeSpan liveness, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // A locked store must not hold a report for the busy timeout: the next tick reports again.
        command.CommandTimeout = 1;
        command.CommandText = """
            INSERT INTO usage_backlogs (replica_id, records, oldest_ended_at, reported_at) VALUES ($id, $records, $oldest, $now)
            ON CONFLICT (replica_id) DO UPDATE SET records = excluded.records, oldest_ended_at = excluded.oldest_ended_at, reported_at = excluded.reported_at;
            DELETE FROM usage_backlogs WHERE reported_at < $swept;
            """;
        command.Parameters.AddWithValue("$id", replicaId);
        command.Parameters.AddWithValue("$records", records);
        command.Parameters.AddWithValue("$oldest", oldest is { } value ? StoreTime.Format(value) : DBNull.Value);
        command.Parameters.AddWithValue("$now", StoreTime.Format(now));
        command.Parameters.AddWithValue("$swept", StoreTime.Format(now - (liveness * 10)));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ReplicaBacklog>> OtherBacklogsAsync(string replicaId, TimeSpan liveness, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT records, oldest_ended_at, reported_at FROM usage_backlogs WHERE replica_id <> $id AND reported_at >= $live";
        command.Parameters.AddWithValue("$id", replicaId);
        command.Parameters.AddWithValue("$live", StoreTime.Format(time.GetUtcNow() - liveness));
        var backlogs = new List<ReplicaBacklog>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            backlogs.Add(new ReplicaBacklog
            {
                Records = reader.GetInt64(0),
                Oldest = reader.IsDBNull(1) ? null : StoreTime.Read(reader, 1),
                ReportedAt = StoreTime.Read(reader, 2),
            });
        }

        return backlogs;
    }

    public async Task LeaveAsync(string replicaId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandTimeout = 1;
        command.CommandText = "DELETE FROM usage_backlogs WHERE replica_id = $id";
        command.Parameters.AddWithValue("$id", replicaId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> ClosedMonthsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadClosedAsync(connection, null, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> CloseThroughAsync(DateTimeOffset lastMonth, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // Microsoft.Data.Sqlite begins transactions IMMEDIATE: the write lock is taken here, before the months are read.
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var closed = await ReadClosedAsync(connection, transaction, cancellationToken);
        await using var first = connection.CreateCommand();
        first.Transaction = transaction;
        first.CommandText = "SELECT min(billed_at) FROM usage_records";
        var firstBilled = await first.ExecuteScalarAsync(cancellationToken) is string text ? StoreTime.Parse(text) : (DateTimeOffset?)null;
        var newlyClosed = new List<string>();
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO usage_periods (month, closed_at) VALUES ($month, $now) ON CONFLICT (month) DO NOTHING";
        var month = insert.Parameters.Add("$month", SqliteType.Text);
        insert.Parameters.AddWithValue("$now", StoreTime.Format(now));
        foreach (var due in PeriodSpan.ToClose(closed.Keys, firstBilled, lastMonth))
        {
            month.Value = due;
            if (await insert.ExecuteNonQueryAsync(cancellationToken) > 0)
            {
                newlyClosed.Add(due);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return newlyClosed;
    }

    /// <summary>The months closed so far and when, read in <paramref name="transaction"/> (a record write's, or a close's).</summary>
    internal static async Task<Dictionary<string, DateTimeOffset>> ReadClosedAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT month, closed_at FROM usage_periods";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var months = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            months[reader.GetString(0)] = StoreTime.Read(reader, 1);
        }

        return months;
    }
}

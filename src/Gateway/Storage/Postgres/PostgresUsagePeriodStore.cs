using Npgsql;

using Routescope.Gateway.Usage.Periods;

namespace Routescope.Gateway.Storage.Postgres;

/// <summary>
/// Closed months in <c>usage_periods</c>, backlogs in <c>usage_backlogs</c> stamped with the database's <c>now()</c>
/// (one clock for all replicas). Closing takes the period lock exclusively (<see cref="PostgresUsageStore.PeriodLock"/>),
/// which every record write holds shared from reading the closed months to its commit: a write sees a month open and
/// lands in it before the close, or sees it closed and lands as a correction.
/// </summary>
internal sealed class PostgresUsagePeriodStore(PostgresDatabase database) : IUsagePeriodStore
{
    public async Task ReportBacklogAsync(string replicaId, long records, DateTimeOffset? oldest, TimeSpan liveness, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("""
                    INSERT INTO usage_backlogs (replica_id, records, oldest_ended_at, reported_at) VALUES ($1, $2, $3, now())
                    ON CONFLICT (replica_id) DO UPDATE SET records = excluded.records, oldest_ended_at = excluded.oldest_ended_at, reported_at = now()
                    """)
                {
                    Parameters =
                    {
                        new() { Value = replicaId },
                        new() { Value = records },
                        new() { Value = oldest is { } value ? value.UtcDateTime : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz },
                    },
                },
                new NpgsqlBatchCommand("DELETE FROM usage_backlogs WHERE reported_at < now() - $1 * 10") { Parameters = { new() { Value = liveness } } },
            },
        };
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ReplicaBacklog>> OtherBacklogsAsync(string replicaId, TimeSpan liveness, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT records, oldest_ended_at, reported_at FROM usage_backlogs WHERE replica_id <> $1 AND reported_at >= now() - $2", connection)
        {
            Parameters = { new() { Value = replicaId }, new() { Value = liveness } },
        };
        var backlogs = new List<ReplicaBacklog>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            backlogs.Add(new ReplicaBacklog
            {
                Records = reader.GetInt64(0),
                Oldest = reader.IsDBNull(1) ? null : PostgresTime.Read(reader, 1),
                ReportedAt = PostgresTime.Read(reader, 2),
            });
        }

        return backlogs;
    }

    public async Task LeaveAsync(string replicaId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("DELETE FROM usage_backlogs WHERE replica_id = $1", connection) { Parameters = { new() { Value = replicaId } } };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> ClosedMonthsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadClosedAsync(connection, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> CloseThroughAsync(DateTimeOffset lastMonth, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Exclusive: waits for every record write that read the months before this, and holds off the rest to the commit.
        await PostgresUsageStore.LockPeriodsAsync(connection, shared: false, cancellationToken);
        var closed = await ReadClosedAsync(connection, cancellationToken);
        DateTimeOffset? firstBilled;
        await using (var first = new NpgsqlCommand("SELECT min(billed_at) FROM usage_records", connection))
        {
            firstBilled = await first.ExecuteScalarAsync(cancellationToken) is DateTime billed ? new DateTimeOffset(DateTime.SpecifyKind(billed, DateTimeKind.Utc)) : null;
        }

        var newlyClosed = new List<string>();
        foreach (var due in PeriodSpan.ToClose(closed.Keys, firstBilled, lastMonth))
        {
            await using var insert = new NpgsqlCommand("INSERT INTO usage_periods (month, closed_at) VALUES ($1, $2) ON CONFLICT (month) DO NOTHING", connection)
            {
                Parameters = { new() { Value = due }, new() { Value = now.UtcDateTime } },
            };
            if (await insert.ExecuteNonQueryAsync(cancellationToken) > 0)
            {
                newlyClosed.Add(due);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return newlyClosed;
    }

    /// <summary>The months closed so far and when; a record write and a close read them under the period lock.</summary>
    internal static async Task<Dictionary<string, DateTimeOffset>> ReadClosedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT month, closed_at FROM usage_periods", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var months = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            months[reader.GetString(0)] = PostgresTime.Read(reader, 1);
        }

        return months;
    }
}

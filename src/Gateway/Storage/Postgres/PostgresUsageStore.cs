using System.Runtime.CompilerServices;

using Npgsql;

using NpgsqlTypes;

using Routescope.Gateway.Usage;
using Routescope.Gateway.Usage.Periods;

namespace Routescope.Gateway.Storage.Postgres;

/// <summary>
/// Usage records in PostgreSQL. A batch is binary-COPYed into a temporary table and inserted from there with
/// <c>ON CONFLICT DO NOTHING</c> on the record id: one round trip for thousands of rows, and replays stay idempotent.
/// The same statement settles budgets for the rows it actually inserted (its <c>RETURNING</c>, so never a replay): their
/// chargeback cost is added to each key's month in <c>key_spend</c> and their reservations are deleted.
/// </summary>
internal sealed class PostgresUsageStore(PostgresDatabase database, TimeProvider time) : IUsageStore
{
    private static readonly string Columns = UsageColumns.List;

    // key_spend rows are taken in key order, so two writers (or a writer and a reservation, which locks one row)
    // cannot wait on each other in a cycle.
    private static readonly string SettlingInsertSql = $"""
        WITH inserted AS (
            INSERT INTO usage_records ({Columns}) SELECT {Columns} FROM usage_import
            ON CONFLICT (record_id) DO NOTHING
            RETURNING key_id, started_at, chargeback_cost, reservation_id
        ), spent AS (
            INSERT INTO key_spend (key_id, month, spent_usd)
            SELECT key_id, to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM'), sum(coalesce(chargeback_cost, 0)) FROM inserted GROUP BY 1, 2 ORDER BY 1, 2
            ON CONFLICT (key_id, month) DO UPDATE SET spent_usd = key_spend.spent_usd + excluded.spent_usd
        ), released AS (
            DELETE FROM budget_reservations WHERE id IN (SELECT reservation_id FROM inserted WHERE reservation_id IS NOT NULL)
        )
        SELECT count(*) FROM inserted
        """;

    /// <summary>
    /// SQLSTATE classes 22 (data exception: a NUL in text, a value out of range) and 23 (integrity constraint), and a
    /// value the driver cannot send: about the values, not the server.
    /// </summary>
    public bool IsRecordProblem(Exception exception) =>
        exception is PostgresException { SqlState: ['2', '2' or '3', ..] } or InvalidCastException or ArgumentException or FormatException;

    public async Task WriteAsync(IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Shared with every other writer, exclusive to closing a month: no month closes between this read and the commit.
        await LockPeriodsAsync(connection, shared: true, cancellationToken);
        var closed = await PostgresUsagePeriodStore.ReadClosedAsync(connection, cancellationToken);
        var now = time.GetUtcNow();
        await using (var create = new NpgsqlCommand("CREATE TEMP TABLE usage_import (LIKE usage_records) ON COMMIT DROP", connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync($"COPY usage_import ({Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var arrived in records)
            {
                var record = PeriodAttribution.Attribute(arrived, closed, now);
                await copy.StartRowAsync(cancellationToken);
                foreach (var column in UsageColumns.All)
                {
                    await WriteAsync(copy, column, column.Value(record), cancellationToken);
                }
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await using (var insert = new NpgsqlCommand(SettlingInsertSql, connection))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The advisory lock that orders record writes (shared) against closing a month (exclusive).</summary>
    internal const long PeriodLock = 0x5253_4741_5445_5702;

    /// <summary>
    /// Takes <see cref="PeriodLock"/> for the rest of the caller's transaction: shared for a writer of records,
    /// exclusive for the one closing a month. The closed months are read after it.
    /// </summary>
    internal static async Task LockPeriodsAsync(NpgsqlConnection connection, bool shared, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(shared ? $"SELECT pg_advisory_xact_lock_shared({PeriodLock})" : $"SELECT pg_advisory_xact_lock({PeriodLock})", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async IAsyncEnumerable<UsageRecord> ReadAsync(DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT {Columns} FROM usage_records WHERE billed_at >= $1 AND billed_at < $2 ORDER BY billed_at, record_id", connection)
        {
            Parameters = { new() { Value = from.UtcDateTime }, new() { Value = to.UtcDateTime } },
        };
        // Sequential access: rows stream from the server, the export never holds the month in memory.
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return UsageColumns.Read(reader, PostgresTime.Read, static (row, i) => row.GetDecimal(i));
        }
    }

    private static Task WriteAsync(NpgsqlBinaryImporter copy, UsageColumn column, object? value, CancellationToken cancellationToken) =>
        value is null ? copy.WriteNullAsync(cancellationToken) : column.Type switch
        {
            UsageColumnType.Text => copy.WriteAsync((string)value, NpgsqlDbType.Text, cancellationToken),
            UsageColumnType.Int32 => copy.WriteAsync((int)value, NpgsqlDbType.Integer, cancellationToken),
            UsageColumnType.Int64 => copy.WriteAsync((long)value, NpgsqlDbType.Bigint, cancellationToken),
            UsageColumnType.Double => copy.WriteAsync((double)value, NpgsqlDbType.Double, cancellationToken),
            UsageColumnType.Decimal => copy.WriteAsync((decimal)value, NpgsqlDbType.Numeric, cancellationToken),
            UsageColumnType.Timestamp => copy.WriteAsync(((DateTimeOffset)value).UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(column), column.Type, "no PostgreSQL encoding"),
        };
}

using System.Globalization;
using System.Runtime.CompilerServices;

using Microsoft.Data.Sqlite;

using Routescope.Gateway.Policy.Budgets;
using Routescope.Gateway.Usage;
using Routescope.Gateway.Usage.Periods;

namespace Routescope.Gateway.Storage.Sqlite;

/// <summary>
/// Usage records in SQLite. Money is stored as invariant decimal text (exact), times as fixed-width ISO-8601 UTC text
/// (sortable). A batch is one transaction with one prepared statement; <c>INSERT OR IGNORE</c> on the record id makes
/// replays idempotent. Each record actually inserted (not an ignored replay) settles its budget in the same
/// transaction: its chargeback cost is added to the key's month in <c>key_spend</c> (read, added as decimal, written back: SQLite
/// would sum text money as REAL) and its reservation is deleted.
/// </summary>
internal sealed class SqliteUsageStore(SqliteDatabase database, TimeProvider time) : IUsageStore
{
    private static readonly string InsertSql =
        $"INSERT OR IGNORE INTO usage_records ({UsageColumns.List}) VALUES ({string.Join(", ", UsageColumns.All.Select(column => "$" + column.Name))})";

    private static readonly string SelectSql = $"SELECT {UsageColumns.List} FROM usage_records WHERE billed_at >= $from AND billed_at < $to ORDER BY billed_at, record_id";

    public async Task WriteAsync(IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = InsertSql;
        // Untyped parameters: each value binds with its own type (integers as integers, money as exact text).
        var parameters = UsageColumns.All.Select(column => command.Parameters.Add(new SqliteParameter { ParameterName = "$" + column.Name })).ToArray();
        command.Prepare();
        // Read in the write's own (immediate) transaction: a month cannot close between this read and the commit.
        var closed = await SqliteUsagePeriodStore.ReadClosedAsync(connection, transaction, cancellationToken);
        var now = time.GetUtcNow();
        var spent = new Dictionary<(string Key, string Month), decimal>();
        var settled = new List<string>();
        foreach (var arrived in records)
        {
            var record = PeriodAttribution.Attribute(arrived, closed, now);
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].Value = ToStore(UsageColumns.All[i], record);
            }

            if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                continue; // a replay of a record already kept: already counted
            }

            var month = (record.KeyId, BudgetMonth.Of(record.StartedAt));
            spent[month] = spent.GetValueOrDefault(month) + (record.ChargebackCost ?? 0m);
            if (record.ReservationId is { } reservation)
            {
                settled.Add(reservation);
            }
        }

        await SettleAsync(connection, transaction, spent, settled, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task SettleAsync(
        SqliteConnection connection, SqliteTransaction transaction, Dictionary<(string Key, string Month), decimal> spent, List<string> settled, CancellationToken cancellationToken)
    {
        foreach (var ((key, month), amount) in spent)
        {
            var total = await SqliteBudgetStore.SpentAsync(connection, transaction, key, month, cancellationToken) + amount;
            await using var upsert = connection.CreateCommand();
            upsert.Transaction = transaction;
            upsert.CommandText = "INSERT INTO key_spend (key_id, month, spent_usd) VALUES ($key, $month, $spent) ON CONFLICT (key_id, month) DO UPDATE SET spent_usd = excluded.spent_usd";
            upsert.Parameters.AddWithValue("$key", key);
            upsert.Parameters.AddWithValue("$month", month);
            upsert.Parameters.AddWithValue("$spent", total.ToString(CultureInfo.InvariantCulture));
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        if (settled.Count == 0)
        {
            return;
        }

        await using var release = connection.CreateCommand();
        release.Transaction = transaction;
        release.CommandText = "DELETE FROM budget_reservations WHERE id = $id";
        var id = release.Parameters.Add("$id", SqliteType.Text);
        foreach (var reservation in settled)
        {
            id.Value = reservation;
            await release.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>SQLITE_TOOBIG, SQLITE_CONSTRAINT, SQLITE_MISMATCH and SQLITE_RANGE: about the values, not the database.</summary>
    public bool IsRecordProblem(Exception exception) => exception is SqliteException { SqliteErrorCode: 18 or 19 or 20 or 25 } or InvalidCastException or FormatException;

    public async IAsyncEnumerable<UsageRecord> ReadAsync(DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = SelectSql;
        command.Parameters.AddWithValue("$from", StoreTime.Format(from));
        command.Parameters.AddWithValue("$to", StoreTime.Format(to));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return UsageColumns.Read(reader, StoreTime.Read, static (row, i) => decimal.Parse(row.GetString(i), NumberStyles.Number, CultureInfo.InvariantCulture));
        }
    }

    private static object ToStore(UsageColumn column, UsageRecord record) => column.Value(record) is not { } value ? DBNull.Value : column.Type switch
    {
        UsageColumnType.Timestamp => StoreTime.Format((DateTimeOffset)value),
        UsageColumnType.Decimal => ((decimal)value).ToString(CultureInfo.InvariantCulture),
        _ => value,
    };
}

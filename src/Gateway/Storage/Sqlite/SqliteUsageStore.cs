using System.Globalization;
using System.Runtime.CompilerServices;

using Microsoft.Data.Sqlite;

using Routescope.Gateway.Usage;

namespace Routescope.Gateway.Storage.Sqlite;

/// <summary>
/// Usage records in SQLite. Money is stored as invariant decimal text (exact), times as fixed-width ISO-8601 UTC text
/// (sortable). A batch is one transaction with one prepared statement; <c>INSERT OR IGNORE</c> on the record id makes
/// replays idempotent.
/// </summary>
internal sealed class SqliteUsageStore(SqliteDatabase database) : IUsageStore
{
    private static readonly string InsertSql =
        $"INSERT OR IGNORE INTO usage_records ({UsageColumns.List}) VALUES ({string.Join(", ", UsageColumns.All.Select(column => "$" + column.Name))})";

    private static readonly string SelectSql = $"SELECT {UsageColumns.List} FROM usage_records WHERE started_at >= $from AND started_at < $to";

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
        foreach (var record in records)
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].Value = ToStore(UsageColumns.All[i], record);
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>SQLITE_TOOBIG, SQLITE_CONSTRAINT, SQLITE_MISMATCH and SQLITE_RANGE: about the values, not the database.</summary>
    public bool IsRecordProblem(Exception exception) => exception is SqliteException { SqliteErrorCode: 18 or 19 or 20 or 25 } or InvalidCastException or FormatException;

    public async IAsyncEnumerable<UsageRecord> ReadAsync(DateTimeOffset from, DateTimeOffset to, UsageGrouping grouping, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = SelectSql + " ORDER BY " + UsageOrdering.OrderBy(grouping, day: "substr(started_at, 1, 10)");
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

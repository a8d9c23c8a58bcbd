using System.Globalization;
using System.Runtime.CompilerServices;

using Microsoft.Data.Sqlite;

using Routescope.Gateway.Storage;

namespace Routescope.Gateway.Usage;

/// <summary>
/// Usage records in SQLite. Money is stored as invariant decimal text (exact), times as fixed-width ISO-8601 UTC text
/// (sortable). A batch is one transaction with one prepared statement; <c>INSERT OR IGNORE</c> on the record id makes
/// replays idempotent.
/// </summary>
internal sealed class SqliteUsageStore(SqliteDatabase database) : IUsageStore
{
    private static readonly string InsertSql =
        $"INSERT OR IGNORE INTO usage_records ({UsageRecordColumns.List}) VALUES ({string.Join(", ", UsageRecordColumns.Names.Select(c => "$" + c))})";

    private static readonly string SelectSql = $"SELECT {UsageRecordColumns.List} FROM usage_records WHERE started_at >= $from AND started_at < $to";

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
        var parameters = UsageRecordColumns.Names.Select(column => command.Parameters.Add(new SqliteParameter { ParameterName = "$" + column })).ToArray();
        command.Prepare();
        foreach (var record in records)
        {
            var values = Values(record);
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].Value = values[i] ?? DBNull.Value;
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async IAsyncEnumerable<UsageRecord> ReadAsync(DateTimeOffset from, DateTimeOffset to, UsageGrouping grouping, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = SelectSql + " ORDER BY " + UsageRecordColumns.OrderBy(grouping, day: "substr(started_at, 1, 10)");
        command.Parameters.AddWithValue("$from", StoreTime.Format(from));
        command.Parameters.AddWithValue("$to", StoreTime.Format(to));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return UsageRecordColumns.Read(reader, static (row, i) => StoreTime.Parse(row.GetString(i)), static (row, i) => Money(row.GetString(i)));
        }
    }

    private static object?[] Values(UsageRecord r) =>
    [
        r.RequestId, StoreTime.Format(r.StartedAt), StoreTime.Format(r.EndedAt), r.KeyId, r.KeyPrefix, r.KeyName, r.KeyGroup, r.Operation,
        r.RequestedModel, r.ServedModel, r.FallbackChain, r.Channel, r.HttpStatus, r.UpstreamStatus, r.Outcome, r.PromptTokens, r.CandidatesTokens,
        r.ThoughtsTokens, r.CachedContentTokens, r.ToolUsePromptTokens, r.TotalTokens, r.OutputTextTokens, r.OutputImageTokens,
        r.ModalityDetails, r.Images, r.FinishReasons, r.ModelVersion, r.ResponseId, r.ImageSize, r.AspectRatio, r.LatencyMs, r.TimeToFirstByteMs,
        r.BytesIn, r.BytesOut, Money(r.InputPerMillion), Money(r.OutputTextPerMillion), Money(r.OutputImagePerMillion),
        r.PerImagePrice is { } perImage ? Money(perImage) : null, Money(r.ChannelRatio), Money(r.GroupRatio), Money(r.Cost), r.Currency, r.RecordId,
    ];

    private static string Money(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static decimal Money(string value) => decimal.Parse(value, NumberStyles.Number, CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Runtime.CompilerServices;

using Microsoft.Data.Sqlite;

using Routescope.Gateway.Storage;

namespace Routescope.Gateway.Usage;

/// <summary>
/// Usage records in SQLite. Money is stored as invariant decimal text (exact), times as fixed-width ISO-8601 UTC text
/// (sortable). A batch is one transaction with one prepared statement; <c>INSERT OR IGNORE</c> on the request id makes
/// replays idempotent.
/// </summary>
internal sealed class SqliteUsageStore(SqliteDatabase database) : IUsageStore
{
    private static readonly string[] Columns =
    [
        "request_id", "started_at", "ended_at", "key_id", "key_prefix", "key_name", "key_group", "operation", "requested_model",
        "served_model", "fallback_chain", "channel", "http_status", "upstream_status", "outcome", "prompt_tokens", "candidates_tokens",
        "thoughts_tokens", "cached_content_tokens", "tool_use_prompt_tokens", "total_tokens", "output_text_tokens", "output_image_tokens",
        "modality_details", "images", "finish_reasons", "model_version", "response_id", "image_size", "aspect_ratio", "latency_ms", "ttfb_ms",
        "bytes_in", "bytes_out", "input_per_million", "output_text_per_million", "output_image_per_million", "per_image_price",
        "channel_ratio", "group_ratio", "cost", "currency",
    ];

    private static readonly string InsertSql =
        $"INSERT OR IGNORE INTO usage_records ({string.Join(", ", Columns)}) VALUES ({string.Join(", ", Columns.Select(c => "$" + c))})";

    private static readonly string SelectSql = $"SELECT {string.Join(", ", Columns)} FROM usage_records WHERE started_at >= $from AND started_at < $to";

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
        var parameters = Columns.Select(column => command.Parameters.Add(new SqliteParameter { ParameterName = "$" + column })).ToArray();
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
        command.CommandText = SelectSql + " ORDER BY " + grouping switch
        {
            UsageGrouping.None => "started_at, request_id",
            _ when grouping.HasFlag(UsageGrouping.Model) && grouping.HasFlag(UsageGrouping.Day) => "key_id, served_model, substr(started_at, 1, 10), started_at, request_id",
            _ when grouping.HasFlag(UsageGrouping.Model) => "key_id, served_model, started_at, request_id",
            _ when grouping.HasFlag(UsageGrouping.Day) => "key_id, substr(started_at, 1, 10), started_at, request_id",
            _ => "key_id, started_at, request_id",
        };
        command.Parameters.AddWithValue("$from", StoreTime.Format(from));
        command.Parameters.AddWithValue("$to", StoreTime.Format(to));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return Read(reader);
        }
    }

    private static object?[] Values(UsageRecord r) =>
    [
        r.RequestId, StoreTime.Format(r.StartedAt), StoreTime.Format(r.EndedAt), r.KeyId, r.KeyPrefix, r.KeyName, r.KeyGroup, r.Operation,
        r.RequestedModel, r.ServedModel, r.FallbackChain, r.Channel, r.HttpStatus, r.UpstreamStatus, r.Outcome, r.PromptTokens, r.CandidatesTokens,
        r.ThoughtsTokens, r.CachedContentTokens, r.ToolUsePromptTokens, r.TotalTokens, r.OutputTextTokens, r.OutputImageTokens,
        r.ModalityDetails, r.Images, r.FinishReasons, r.ModelVersion, r.ResponseId, r.ImageSize, r.AspectRatio, r.LatencyMs, r.TimeToFirstByteMs,
        r.BytesIn, r.BytesOut, Money(r.InputPerMillion), Money(r.OutputTextPerMillion), Money(r.OutputImagePerMillion),
        r.PerImagePrice is { } perImage ? Money(perImage) : null, Money(r.ChannelRatio), Money(r.GroupRatio), Money(r.Cost), r.Currency,
    ];

    private static UsageRecord Read(SqliteDataReader reader) => new()
    {
        RequestId = reader.GetString(0),
        StartedAt = StoreTime.Parse(reader.GetString(1)),
        EndedAt = StoreTime.Parse(reader.GetString(2)),
        KeyId = reader.GetString(3),
        KeyPrefix = reader.GetString(4),
        KeyName = reader.GetString(5),
        KeyGroup = reader.GetString(6),
        Operation = reader.GetString(7),
        RequestedModel = reader.GetString(8),
        ServedModel = reader.GetString(9),
        FallbackChain = reader.GetString(10),
        Channel = reader.GetString(11),
        HttpStatus = reader.GetInt32(12),
        UpstreamStatus = reader.IsDBNull(13) ? null : reader.GetInt32(13),
        Outcome = reader.GetString(14),
        PromptTokens = reader.GetInt64(15),
        CandidatesTokens = reader.GetInt64(16),
        ThoughtsTokens = reader.GetInt64(17),
        CachedContentTokens = reader.GetInt64(18),
        ToolUsePromptTokens = reader.GetInt64(19),
        TotalTokens = reader.GetInt64(20),
        OutputTextTokens = reader.GetInt64(21),
        OutputImageTokens = reader.GetInt64(22),
        ModalityDetails = reader.GetString(23),
        Images = reader.GetInt32(24),
        FinishReasons = reader.GetString(25),
        ModelVersion = reader.IsDBNull(26) ? null : reader.GetString(26),
        ResponseId = reader.IsDBNull(27) ? null : reader.GetString(27),
        ImageSize = reader.IsDBNull(28) ? null : reader.GetString(28),
        AspectRatio = reader.IsDBNull(29) ? null : reader.GetString(29),
        LatencyMs = reader.GetDouble(30),
        TimeToFirstByteMs = reader.IsDBNull(31) ? null : reader.GetDouble(31),
        BytesIn = reader.GetInt64(32),
        BytesOut = reader.GetInt64(33),
        InputPerMillion = Money(reader.GetString(34)),
        OutputTextPerMillion = Money(reader.GetString(35)),
        OutputImagePerMillion = Money(reader.GetString(36)),
        PerImagePrice = reader.IsDBNull(37) ? null : Money(reader.GetString(37)),
        ChannelRatio = Money(reader.GetString(38)),
        GroupRatio = Money(reader.GetString(39)),
        Cost = Money(reader.GetString(40)),
        Currency = reader.GetString(41),
    };

    private static string Money(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static decimal Money(string value) => decimal.Parse(value, NumberStyles.Number, CultureInfo.InvariantCulture);
}

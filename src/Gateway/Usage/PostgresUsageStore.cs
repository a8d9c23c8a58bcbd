using System.Runtime.CompilerServices;

using Npgsql;

using NpgsqlTypes;

using Routescope.Gateway.Storage;

namespace Routescope.Gateway.Usage;

/// <summary>
/// Usage records in PostgreSQL. A batch is binary-COPYed into a temporary table and inserted from there with
/// <c>ON CONFLICT DO NOTHING</c>: one round trip for thousands of rows, and replays stay idempotent.
/// </summary>
internal sealed class PostgresUsageStore(PostgresDatabase database) : IUsageStore
{
    private const string Columns =
        "request_id, started_at, ended_at, key_id, key_prefix, key_name, key_group, operation, requested_model, served_model, fallback_chain, channel, " +
        "http_status, upstream_status, outcome, prompt_tokens, candidates_tokens, thoughts_tokens, cached_content_tokens, tool_use_prompt_tokens, " +
        "total_tokens, output_text_tokens, output_image_tokens, modality_details, images, finish_reasons, model_version, response_id, image_size, " +
        "aspect_ratio, latency_ms, ttfb_ms, bytes_in, bytes_out, input_per_million, output_text_per_million, output_image_per_million, " +
        "per_image_price, channel_ratio, group_ratio, cost, currency";

    public async Task WriteAsync(IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var create = new NpgsqlCommand("CREATE TEMP TABLE usage_import (LIKE usage_records) ON COMMIT DROP", connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync($"COPY usage_import ({Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var r in records)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(r.RequestId, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(r.StartedAt.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
                await copy.WriteAsync(r.EndedAt.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
                await copy.WriteAsync(r.KeyId, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(r.KeyPrefix, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(r.KeyName, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(r.KeyGroup, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(r.Operation, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(r.RequestedModel, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(r.ServedModel, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(r.FallbackChain, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(r.Channel, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(r.HttpStatus, NpgsqlDbType.Integer, cancellationToken);
                await WriteNullableAsync(copy, r.UpstreamStatus, NpgsqlDbType.Integer, cancellationToken);
                await copy.WriteAsync(r.Outcome, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(r.PromptTokens, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(r.CandidatesTokens, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(r.ThoughtsTokens, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(r.CachedContentTokens, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(r.ToolUsePromptTokens, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(r.TotalTokens, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(r.OutputTextTokens, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(r.OutputImageTokens, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(r.ModalityDetails, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(r.Images, NpgsqlDbType.Integer, cancellationToken);
                await copy.WriteAsync(r.FinishReasons, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(copy, r.ModelVersion, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(copy, r.ResponseId, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(copy, r.ImageSize, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(copy, r.AspectRatio, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(r.LatencyMs, NpgsqlDbType.Double, cancellationToken);
                await WriteNullableAsync(copy, r.TimeToFirstByteMs, NpgsqlDbType.Double, cancellationToken);
                await copy.WriteAsync(r.BytesIn, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(r.BytesOut, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(r.InputPerMillion, NpgsqlDbType.Numeric, cancellationToken);
                await copy.WriteAsync(r.OutputTextPerMillion, NpgsqlDbType.Numeric, cancellationToken);
                await copy.WriteAsync(r.OutputImagePerMillion, NpgsqlDbType.Numeric, cancellationToken);
                await WriteNullableAsync(copy, r.PerImagePrice, NpgsqlDbType.Numeric, cancellationToken);
                await copy.WriteAsync(r.ChannelRatio, NpgsqlDbType.Numeric, cancellationToken);
                await copy.WriteAsync(r.GroupRatio, NpgsqlDbType.Numeric, cancellationToken);
                await copy.WriteAsync(r.Cost, NpgsqlDbType.Numeric, cancellationToken);
                await copy.WriteAsync(r.Currency, NpgsqlDbType.Text, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await using (var insert = new NpgsqlCommand($"INSERT INTO usage_records ({Columns}) SELECT {Columns} FROM usage_import ON CONFLICT (request_id) DO NOTHING", connection))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async IAsyncEnumerable<UsageRecord> ReadAsync(DateTimeOffset from, DateTimeOffset to, UsageGrouping grouping, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        const string day = "(started_at AT TIME ZONE 'UTC')::date";
        var order = grouping switch
        {
            UsageGrouping.None => "started_at, request_id",
            _ when grouping.HasFlag(UsageGrouping.Model) && grouping.HasFlag(UsageGrouping.Day) => $"key_id, served_model, {day}, started_at, request_id",
            _ when grouping.HasFlag(UsageGrouping.Model) => "key_id, served_model, started_at, request_id",
            _ when grouping.HasFlag(UsageGrouping.Day) => $"key_id, {day}, started_at, request_id",
            _ => "key_id, started_at, request_id",
        };
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT {Columns} FROM usage_records WHERE started_at >= $1 AND started_at < $2 ORDER BY {order}", connection)
        {
            Parameters = { new() { Value = from.UtcDateTime }, new() { Value = to.UtcDateTime } },
        };
        // Sequential access: rows stream from the server, the export never holds the month in memory.
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return Read(reader);
        }
    }

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct =>
        value is { } present ? copy.WriteAsync(present, type, cancellationToken) : copy.WriteNullAsync(cancellationToken);

    private static Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is not null ? copy.WriteAsync(value, type, cancellationToken) : copy.WriteNullAsync(cancellationToken);

    private static UsageRecord Read(NpgsqlDataReader reader) => new()
    {
        RequestId = reader.GetString(0),
        StartedAt = Utc(reader.GetDateTime(1)),
        EndedAt = Utc(reader.GetDateTime(2)),
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
        InputPerMillion = reader.GetDecimal(34),
        OutputTextPerMillion = reader.GetDecimal(35),
        OutputImagePerMillion = reader.GetDecimal(36),
        PerImagePrice = reader.IsDBNull(37) ? null : reader.GetDecimal(37),
        ChannelRatio = reader.GetDecimal(38),
        GroupRatio = reader.GetDecimal(39),
        Cost = reader.GetDecimal(40),
        Currency = reader.GetString(41),
    };

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}

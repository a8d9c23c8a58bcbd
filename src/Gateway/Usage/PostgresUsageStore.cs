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
    private static readonly string Columns = UsageRecordColumns.List;

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
                await copy.WriteAsync(r.RecordId, NpgsqlDbType.Text, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await using (var insert = new NpgsqlCommand($"INSERT INTO usage_records ({Columns}) SELECT {Columns} FROM usage_import ON CONFLICT (record_id) DO NOTHING", connection))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async IAsyncEnumerable<UsageRecord> ReadAsync(DateTimeOffset from, DateTimeOffset to, UsageGrouping grouping, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var order = UsageRecordColumns.OrderBy(grouping, day: "(started_at AT TIME ZONE 'UTC')::date");
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT {Columns} FROM usage_records WHERE started_at >= $1 AND started_at < $2 ORDER BY {order}", connection)
        {
            Parameters = { new() { Value = from.UtcDateTime }, new() { Value = to.UtcDateTime } },
        };
        // Sequential access: rows stream from the server, the export never holds the month in memory.
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return UsageRecordColumns.Read(reader, static (row, i) => Utc(row.GetDateTime(i)), static (row, i) => row.GetDecimal(i));
        }
    }

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct =>
        value is { } present ? copy.WriteAsync(present, type, cancellationToken) : copy.WriteNullAsync(cancellationToken);

    private static Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is not null ? copy.WriteAsync(value, type, cancellationToken) : copy.WriteNullAsync(cancellationToken);

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}

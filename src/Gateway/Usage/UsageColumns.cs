using System.Collections.Immutable;
using System.Data.Common;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Routescope.Gateway.Usage;

/// <summary>
/// The one table of usage columns: both stores insert and select exactly these, and the CSV export writes them in this
/// order. A new field is a property of <see cref="UsageRecord"/>, a line here and one migration per store.
/// </summary>
internal static class UsageColumns
{
    /// <summary>In the CSV export's column order (the record's own property order, as finance's sheets know it).</summary>
    public static readonly ImmutableArray<UsageColumn> All =
    [
        new("request_id", nameof(UsageRecord.RequestId)),
        new("record_id", nameof(UsageRecord.RecordId)),
        new("started_at", nameof(UsageRecord.StartedAt)),
        new("ended_at", nameof(UsageRecord.EndedAt)),
        new("key_id", nameof(UsageRecord.KeyId)),
        new("key_prefix", nameof(UsageRecord.KeyPrefix)),
        new("key_name", nameof(UsageRecord.KeyName)),
        new("key_group", nameof(UsageRecord.KeyGroup)),
        new("operation", nameof(UsageRecord.Operation)),
        new("requested_model", nameof(UsageRecord.RequestedModel)),
        new("served_model", nameof(UsageRecord.ServedModel)),
        new("fallback_chain", nameof(UsageRecord.FallbackChain)),
        new("channel", nameof(UsageRecord.Channel)),
        new("http_status", nameof(UsageRecord.HttpStatus)),
        new("upstream_status", nameof(UsageRecord.UpstreamStatus)),
        new("outcome", nameof(UsageRecord.Outcome)),
        new("prompt_tokens", nameof(UsageRecord.PromptTokens)),
        new("candidates_tokens", nameof(UsageRecord.CandidatesTokens)),
        new("thoughts_tokens", nameof(UsageRecord.ThoughtsTokens)),
        new("cached_content_tokens", nameof(UsageRecord.CachedContentTokens)),
        new("tool_use_prompt_tokens", nameof(UsageRecord.ToolUsePromptTokens)),
        new("total_tokens", nameof(UsageRecord.TotalTokens)),
        new("output_text_tokens", nameof(UsageRecord.OutputTextTokens)),
        new("output_image_tokens", nameof(UsageRecord.OutputImageTokens)),
        new("modality_details", nameof(UsageRecord.ModalityDetails)),
        new("images", nameof(UsageRecord.Images)),
        new("finish_reasons", nameof(UsageRecord.FinishReasons)),
        new("model_version", nameof(UsageRecord.ModelVersion)),
        new("response_id", nameof(UsageRecord.ResponseId)),
        new("image_size", nameof(UsageRecord.ImageSize)),
        new("aspect_ratio", nameof(UsageRecord.AspectRatio)),
        new("latency_ms", nameof(UsageRecord.LatencyMs)),
        new("ttfb_ms", nameof(UsageRecord.TimeToFirstByteMs)),
        new("bytes_in", nameof(UsageRecord.BytesIn)),
        new("bytes_out", nameof(UsageRecord.BytesOut)),
        new("input_per_million", nameof(UsageRecord.InputPerMillion)),
        new("cached_input_per_million", nameof(UsageRecord.CachedInputPerMillion)),
        new("output_text_per_million", nameof(UsageRecord.OutputTextPerMillion)),
        new("output_image_per_million", nameof(UsageRecord.OutputImagePerMillion)),
        new("per_image_price", nameof(UsageRecord.PerImagePrice)),
        new("channel_ratio", nameof(UsageRecord.ChannelRatio)),
        new("group_ratio", nameof(UsageRecord.GroupRatio)),
        new("upstream_cost", nameof(UsageRecord.UpstreamCost)),
        new("chargeback_cost", nameof(UsageRecord.ChargebackCost)),
        new("cost_basis", nameof(UsageRecord.CostBasis)),
        new("flags", nameof(UsageRecord.Flags)),
        new("currency", nameof(UsageRecord.Currency)),
        new("reservation_id", nameof(UsageRecord.ReservationId)),
        new("recorded_at", nameof(UsageRecord.RecordedAt)),
        new("billed_at", nameof(UsageRecord.BilledAt)),
        new("charge_class", nameof(UsageRecord.ChargeClass)),
    ];

    /// <summary>The column names, comma-separated, for INSERT and SELECT lists.</summary>
    public static readonly string List = string.Join(", ", All.Select(column => column.Name));

    static UsageColumns()
    {
        // A record property without a column would be silently lost in the store: refuse to run instead (the store's
        // migration at start touches this table, so a gap stops the start, not the first write).
        var covered = All.Select(column => column.Property.Name).ToHashSet(StringComparer.Ordinal);
        var missing = typeof(UsageRecord).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.SetMethod is not null && !covered.Contains(property.Name))
            .Select(property => property.Name)
            .ToArray();
        if (missing.Length > 0 || covered.Count != All.Length)
        {
            throw new InvalidOperationException($"UsageColumns must list every UsageRecord property once; missing: {string.Join(", ", missing)}.");
        }
    }

    /// <summary>
    /// A record from the current row of a result selected as <see cref="List"/>. Each store says how it reads back a
    /// time and an amount of money (its own encodings); every other kind reads the same from any store.
    /// </summary>
    public static UsageRecord Read(DbDataReader reader, Func<DbDataReader, int, DateTimeOffset> time, Func<DbDataReader, int, decimal> money)
    {
        // Every property is set below, required ones included: the record is complete before anyone sees it.
        var record = (UsageRecord)RuntimeHelpers.GetUninitializedObject(typeof(UsageRecord));
        for (var i = 0; i < All.Length; i++)
        {
            All[i].Assign(record, reader.IsDBNull(i) ? null : All[i].Type switch
            {
                UsageColumnType.Text => reader.GetString(i),
                UsageColumnType.Int32 => reader.GetInt32(i),
                UsageColumnType.Int64 => reader.GetInt64(i),
                UsageColumnType.Double => reader.GetDouble(i),
                UsageColumnType.Decimal => money(reader, i),
                UsageColumnType.Timestamp => time(reader, i),
                _ => throw new InvalidOperationException($"usage_records.{All[i].Name}: no reader for {All[i].Type}."),
            });
        }

        return record;
    }
}

using System.Data.Common;

namespace Routescope.Gateway.Usage;

/// <summary>
/// The one column list of <c>usage_records</c>, in the order both stores write and read it, and the one mapping from
/// a row to a record. Each store says only how it reads a time and an amount of money.
/// </summary>
internal static class UsageRecordColumns
{
    public static readonly string[] Names =
    [
        "request_id", "started_at", "ended_at", "key_id", "key_prefix", "key_name", "key_group", "operation", "requested_model",
        "served_model", "fallback_chain", "channel", "http_status", "upstream_status", "outcome", "prompt_tokens", "candidates_tokens",
        "thoughts_tokens", "cached_content_tokens", "tool_use_prompt_tokens", "total_tokens", "output_text_tokens", "output_image_tokens",
        "modality_details", "images", "finish_reasons", "model_version", "response_id", "image_size", "aspect_ratio", "latency_ms", "ttfb_ms",
        "bytes_in", "bytes_out", "input_per_million", "output_text_per_million", "output_image_per_million", "per_image_price",
        "channel_ratio", "group_ratio", "cost", "currency", "record_id",
    ];

    public static readonly string List = string.Join(", ", Names);

    /// <summary>Reads the current row, selected as <see cref="List"/>.</summary>
    public static UsageRecord Read(DbDataReader reader, Func<DbDataReader, int, DateTimeOffset> time, Func<DbDataReader, int, decimal> money) => new()
    {
        RequestId = reader.GetString(0),
        StartedAt = time(reader, 1),
        EndedAt = time(reader, 2),
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
        InputPerMillion = money(reader, 34),
        OutputTextPerMillion = money(reader, 35),
        OutputImagePerMillion = money(reader, 36),
        PerImagePrice = reader.IsDBNull(37) ? null : money(reader, 37),
        ChannelRatio = money(reader, 38),
        GroupRatio = money(reader, 39),
        Cost = money(reader, 40),
        Currency = reader.GetString(41),
        RecordId = reader.GetString(42),
    };

    /// <summary>
    /// The ORDER BY that brings a grouping's rows together (then by start time and id), given how the store writes the
    /// UTC day of <c>started_at</c>.
    /// </summary>
    public static string OrderBy(UsageGrouping grouping, string day) => grouping switch
    {
        UsageGrouping.None => "started_at, record_id",
        _ when grouping.HasFlag(UsageGrouping.Model) && grouping.HasFlag(UsageGrouping.Day) => $"key_id, served_model, {day}, started_at, record_id",
        _ when grouping.HasFlag(UsageGrouping.Model) => "key_id, served_model, started_at, record_id",
        _ when grouping.HasFlag(UsageGrouping.Day) => $"key_id, {day}, started_at, record_id",
        _ => "key_id, started_at, record_id",
    };
}

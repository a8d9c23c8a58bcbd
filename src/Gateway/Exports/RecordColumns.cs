using System.Collections.Immutable;

using Routescope.Gateway.Usage;

namespace Routescope.Gateway.Exports;

/// <summary>
/// The per-record export (<c>groupBy=none</c>): every stored column (<see cref="UsageColumns"/>), in its order, with
/// what it means. A stored column without a description stops the start, so the data dictionary is never short.
/// </summary>
internal static class RecordColumns
{
    private static readonly Dictionary<string, string> Descriptions = new(StringComparer.Ordinal)
    {
        ["request_id"] = "The request id the client, the upstream and the logs saw (x-request-id).",
        ["record_id"] = "The gateway's own unique id of this record; a request that tried several models has one record per billed attempt.",
        ["started_at"] = "When the gateway received the request (UTC).",
        ["ended_at"] = "When the answer ended: the completion time that attributes the record to a day and a month.",
        ["key_id"] = "The gateway key's id (never the key itself).",
        ["key_prefix"] = "The key's first characters, as shown in the admin API, to recognise it.",
        ["key_name"] = "The key's name.",
        ["key_group"] = "The key's billing group, whose ratio makes the chargeback cost.",
        ["operation"] = "generateContent, streamGenerateContent or countTokens.",
        ["requested_model"] = "The model the client asked for.",
        ["served_model"] = "The model that answered (and whose prices apply): differs from the requested one after a fallback.",
        ["fallback_chain"] = "The fallbacks taken, e.g. 'a 503 -> b'; empty when the requested model answered.",
        ["channel"] = "The upstream channel the request went to, whose ratio applies.",
        ["http_status"] = "The status the client got.",
        ["upstream_status"] = "The status the upstream answered; empty when it never answered.",
        ["outcome"] = "How the request ended: complete, client_aborted, truncated, upstream_error, abandoned, deadline_exceeded, shutdown.",
        ["prompt_tokens"] = "promptTokenCount: every prompt token, cached ones included.",
        ["candidates_tokens"] = "candidatesTokenCount: output tokens, text and image.",
        ["thoughts_tokens"] = "thoughtsTokenCount: thinking tokens, billed at the text output price.",
        ["cached_content_tokens"] = "cachedContentTokenCount: the part of the prompt served from the context cache, billed at the cached input price.",
        ["tool_use_prompt_tokens"] = "toolUsePromptTokenCount: tool-use prompt tokens, billed at the input price.",
        ["total_tokens"] = "totalTokenCount as the upstream reported it.",
        ["output_text_tokens"] = "Text output tokens, billed at the text output price.",
        ["output_image_tokens"] = "Image output tokens, billed at the image output price (unless the model is billed per image).",
        ["modality_details"] = "Per-modality counts as the upstream gave them, e.g. prompt:TEXT=12;candidates:IMAGE=1290.",
        ["images"] = "Final images returned (interim thought images excluded).",
        ["finish_reasons"] = "The candidates' finish reasons, comma-separated (PROMPT_BLOCKED:reason for a blocked prompt).",
        ["model_version"] = "modelVersion as the upstream reported it.",
        ["response_id"] = "responseId as the upstream reported it.",
        ["image_size"] = "The imageSize the images were made at (requested, else the model's default).",
        ["aspect_ratio"] = "The aspectRatio the images were made at, as text (16:9).",
        ["latency_ms"] = "Milliseconds from the request to the answer's end.",
        ["time_to_first_byte_ms"] = "Milliseconds from the request to the answer's first byte; empty when none came.",
        ["bytes_in"] = "Request body bytes.",
        ["bytes_out"] = "Answer body bytes as the upstream sent them.",
        ["input_per_million"] = "The input price applied, per million tokens, before ratios.",
        ["cached_input_per_million"] = "The cached input price applied, per million tokens.",
        ["output_text_per_million"] = "The text output price applied, per million tokens.",
        ["output_image_per_million"] = "The image output price applied, per million tokens.",
        ["per_image_price"] = "The per-image price for the image size, when the model is billed per image.",
        ["channel_ratio"] = "The channel's ratio: the relay's multiplier on list prices.",
        ["group_ratio"] = "The key group's ratio: the internal chargeback multiplier.",
        ["upstream_cost"] = "What the relay bills: prices x channel ratio. Matches the upstream's invoice. Empty (never 0) for a model without prices.",
        ["chargeback_cost"] = "What the key's team is charged: upstream_cost x group_ratio.",
        ["cost_basis"] = "What the costs rest on: measured (usage reported), estimated, unmetered or unpriced.",
        ["flags"] = "Anything else finance should know about the figures, comma-separated (e.g. refusal, image_tokens_from_catalog).",
        ["currency"] = "The billing currency (ISO 4217) of every amount in the row.",
        ["reservation_id"] = "The budget reservation the record settled; empty when the key has no budget.",
        ["recorded_at"] = "When the store kept the record; later than ended_at when it waited in the journal or spill.",
        ["billed_at"] = "The time every export attributes the record to: ended_at, or the start of the next open month for a correction.",
        ["charge_class"] = "Empty, or 'correction' for a record that arrived after its month had closed (counted in the next open month).",
    };

    public static readonly ImmutableArray<ExportColumn<UsageRecord>> All = [.. UsageColumns.All.Select(Column)];

    private static ExportColumn<UsageRecord> Column(UsageColumn column)
    {
        var header = System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(column.Property.Name);
        if (!Descriptions.TryGetValue(header, out var description))
        {
            throw new InvalidOperationException($"The export has no description of the usage column {header}: add it to RecordColumns.");
        }

        var kind = column.Type switch
        {
            UsageColumnType.Int32 or UsageColumnType.Int64 => ExportKind.Integer,
            UsageColumnType.Double => ExportKind.Number,
            UsageColumnType.Decimal when header.EndsWith("_cost", StringComparison.Ordinal) => ExportKind.Money,
            UsageColumnType.Decimal => ExportKind.Decimal,
            UsageColumnType.Timestamp => ExportKind.Time,
            _ => ExportKind.Text,
        };
        return new ExportColumn<UsageRecord>(column.Property.Name, kind, description, column.Value);
    }
}

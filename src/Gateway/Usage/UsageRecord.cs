namespace Routescope.Gateway.Usage;

/// <summary>One client request, as billed. Written exactly once: <see cref="RecordId"/> is unique.</summary>
internal sealed record UsageRecord
{
    /// <summary>The request id the client, the upstream and the logs saw (the client's own when it sent a sane one).</summary>
    public required string RequestId { get; init; }

    /// <summary>
    /// The gateway's own id for this record, new for every request; stores deduplicate replays on it. Not the request
    /// id: that one a client may choose (<c>x-request-id</c>) and reuse, and a reused id must not make a request free.
    /// Missing only from spill lines written before the field existed (see <see cref="LegacySpill"/>).
    /// </summary>
    public string RecordId { get; init; } = string.Empty;

    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the answer ended (the completion time): what attributes the record to a day and a month.</summary>
    public required DateTimeOffset EndedAt { get; init; }
    public required string KeyId { get; init; }
    public required string KeyPrefix { get; init; }
    public required string KeyName { get; init; }
    public required string KeyGroup { get; init; }
    public required string Operation { get; init; }
    public required string RequestedModel { get; init; }
    public required string ServedModel { get; init; }

    /// <summary>The fallback chain taken (<c>a 503 -> b</c>); empty when the requested model answered.</summary>
    public required string FallbackChain { get; init; }

    public required string Channel { get; init; }
    public required int HttpStatus { get; init; }
    public int? UpstreamStatus { get; init; }
    public required string Outcome { get; init; }

    public long PromptTokens { get; init; }
    public long CandidatesTokens { get; init; }
    public long ThoughtsTokens { get; init; }
    public long CachedContentTokens { get; init; }
    public long ToolUsePromptTokens { get; init; }
    public long TotalTokens { get; init; }
    public long OutputTextTokens { get; init; }
    public long OutputImageTokens { get; init; }

    /// <summary>Per-modality details as the upstream gave them, e.g. <c>prompt:TEXT=12;candidates:IMAGE=1290</c>.</summary>
    public string ModalityDetails { get; init; } = string.Empty;

    public int Images { get; init; }
    public string FinishReasons { get; init; } = string.Empty;
    public string? ModelVersion { get; init; }
    public string? ResponseId { get; init; }
    public string? ImageSize { get; init; }
    public string? AspectRatio { get; init; }

    public required double LatencyMs { get; init; }
    public double? TimeToFirstByteMs { get; init; }
    public long BytesIn { get; init; }
    public long BytesOut { get; init; }

    /// <summary>The served model's prices as applied; all empty when the model has none (<see cref="UsageCostBasis.Unpriced"/>).</summary>
    public decimal? InputPerMillion { get; init; }

    public decimal? CachedInputPerMillion { get; init; }
    public decimal? OutputTextPerMillion { get; init; }
    public decimal? OutputImagePerMillion { get; init; }

    /// <summary>The per-image price for the record's image size, when the model is billed per image.</summary>
    public decimal? PerImagePrice { get; init; }

    public required decimal ChannelRatio { get; init; }
    public required decimal GroupRatio { get; init; }

    /// <summary>What the relay bills for the work (prices × channel ratio): the figure the upstream's invoice shows. Empty (never 0) when the served model has no price.</summary>
    public decimal? UpstreamCost { get; init; }

    /// <summary>What the key's team is charged: <see cref="UpstreamCost"/> × <see cref="GroupRatio"/>. Empty when the model has no price.</summary>
    public decimal? ChargebackCost { get; init; }

    /// <summary>
    /// Journal and spill lines written before the two costs existed carry the chargeback cost as <c>cost</c>; read
    /// into <see cref="ChargebackCost"/>, and the upstream cost follows from the record's own prices
    /// (<see cref="UsageRecordCosts.Complete"/>). Never written: the property is internal, and null is not serialised.
    /// </summary>
    [System.Text.Json.Serialization.JsonInclude]
    [System.Text.Json.Serialization.JsonPropertyName("cost")]
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    internal decimal? LegacyCost
    {
        get => null;
        init => ChargebackCost ??= value;
    }

    /// <summary>What both costs rest on: one of <see cref="UsageCostBasis"/>.</summary>
    public string CostBasis { get; init; } = UsageCostBasis.Measured;

    /// <summary>Everything else finance should know about the figures, comma-separated: <see cref="UsageFlags"/>.</summary>
    public string Flags { get; init; } = string.Empty;

    public required string Currency { get; init; }

    /// <summary>When the store kept the record; set by the store as it inserts (empty before).</summary>
    public DateTimeOffset? RecordedAt { get; init; }

    /// <summary>
    /// The time every export attributes the record to: its <see cref="EndedAt"/>, or, when that month was already
    /// closed as the record arrived, the first instant of the next open month (and <see cref="ChargeClass"/> says
    /// <c>correction</c>). Set by the store as it inserts; a closed month's totals therefore never change.
    /// </summary>
    public DateTimeOffset? BilledAt { get; init; }

    /// <summary>Empty for an ordinary record; <c>correction</c> for one that arrived after its month closed.</summary>
    public string ChargeClass { get; init; } = string.Empty;

    /// <summary>
    /// The budget reservation the request held, which writing this record settles (the store deletes it in the same
    /// transaction as it adds the cost to the key's month); null when the key has no budget, and on abandoned attempts.
    /// </summary>
    public string? ReservationId { get; init; }
}

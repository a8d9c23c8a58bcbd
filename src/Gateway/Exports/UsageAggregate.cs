namespace Routescope.Gateway.Exports;

/// <summary>
/// Sums over the records of one group: the grouping's dimensions (the others empty), one currency and one pair of
/// ratios, and the period the row covers. Each sum reconciles exactly with the rows (decimal costs, integer tokens),
/// and <see cref="UpstreamCost"/> × <see cref="GroupRatio"/> = <see cref="ChargebackCost"/>.
/// </summary>
internal sealed record UsageAggregate
{
    public string? KeyId { get; init; }
    public string? KeyPrefix { get; init; }
    public string? KeyName { get; init; }

    /// <summary>The key group, when grouping by key or by group.</summary>
    public string? KeyGroup { get; init; }

    /// <summary>The served model, when grouping by model.</summary>
    public string? Model { get; init; }

    public string? RequestedModel { get; init; }

    /// <summary>The UTC day (<c>yyyy-MM-dd</c>), when grouping by day.</summary>
    public string? Day { get; init; }

    /// <summary>The UTC month (<c>yyyy-MM</c>), when grouping by month or day.</summary>
    public string? Month { get; init; }

    /// <summary>The start of what the row covers: its day or month, within the export's range.</summary>
    public required DateTimeOffset PeriodStart { get; init; }

    /// <summary>The (exclusive) end of what the row covers.</summary>
    public required DateTimeOffset PeriodEnd { get; init; }

    public required string Currency { get; init; }

    /// <summary>The channel ratio of every record of the row; empty on a totals row, which spans ratios.</summary>
    public decimal? ChannelRatio { get; init; }

    public decimal? GroupRatio { get; init; }

    /// <summary>Client requests (abandoned attempts are records of their own, counted apart).</summary>
    public long Requests { get; init; }

    /// <summary>Attempts the gateway gave up on after the upstream was sent them.</summary>
    public long AbandonedAttempts { get; init; }

    /// <summary>Records that arrived after their month closed and count here instead.</summary>
    public long Corrections { get; init; }

    public long PromptTokens { get; init; }
    public long CachedContentTokens { get; init; }
    public long ToolUsePromptTokens { get; init; }
    public long CandidatesTokens { get; init; }
    public long ThoughtsTokens { get; init; }
    public long OutputTextTokens { get; init; }
    public long OutputImageTokens { get; init; }
    public long TotalTokens { get; init; }
    public long Images { get; init; }

    /// <summary>Records refused for safety: spend that produced no image.</summary>
    public long Refusals { get; init; }

    /// <summary>Records of models without a price: their tokens are in the sums, their cost is not.</summary>
    public long UnpricedRecords { get; init; }

    /// <summary>What the relay bills for the row: <see cref="UpstreamMeasuredCost"/> + <see cref="UpstreamEstimatedCost"/>.</summary>
    public decimal UpstreamCost { get; init; }

    public decimal UpstreamMeasuredCost { get; init; }
    public decimal UpstreamEstimatedCost { get; init; }

    /// <summary>What the teams are charged for the row: <see cref="ChargebackMeasuredCost"/> + <see cref="ChargebackEstimatedCost"/>.</summary>
    public decimal ChargebackCost { get; init; }

    public decimal ChargebackMeasuredCost { get; init; }
    public decimal ChargebackEstimatedCost { get; init; }

    /// <summary>The weakest basis among the records: unpriced, unmetered, estimated, then measured.</summary>
    public string CostBasis { get; init; } = Usage.UsageCostBasis.Measured;
}

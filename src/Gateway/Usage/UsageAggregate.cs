namespace Routescope.Gateway.Usage;

/// <summary>Sums over the records of one group; each sum reconciles exactly with the rows (decimal cost, integer tokens).</summary>
internal sealed record UsageAggregate
{
    public required string KeyId { get; init; }
    public required string KeyPrefix { get; init; }
    public required string KeyName { get; init; }
    public required string KeyGroup { get; init; }

    /// <summary>The served model, when grouping by model.</summary>
    public string? Model { get; init; }

    /// <summary>The UTC day (<c>yyyy-MM-dd</c>), when grouping by day.</summary>
    public string? Day { get; init; }

    /// <summary>Client requests (abandoned attempts are records of their own, counted apart).</summary>
    public long Requests { get; init; }

    /// <summary>Attempts the gateway gave up on after the upstream was sent them (<see cref="UsageOutcome.Abandoned"/>).</summary>
    public long AbandonedAttempts { get; init; }

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

    /// <summary>Every priced record's cost: <see cref="MeasuredCost"/> + <see cref="EstimatedCost"/>.</summary>
    public decimal Cost { get; init; }

    /// <summary>Cost of records whose usage the upstream reported.</summary>
    public decimal MeasuredCost { get; init; }

    /// <summary>Cost of records resting on estimates (estimated and unmetered ones).</summary>
    public decimal EstimatedCost { get; init; }

    /// <summary>The weakest basis among the records: unpriced, unmetered, estimated, then measured.</summary>
    public string CostBasis { get; init; } = UsageCostBasis.Measured;

    public required string Currency { get; init; }
}

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

    public long Requests { get; init; }
    public long PromptTokens { get; init; }
    public long CandidatesTokens { get; init; }
    public long ThoughtsTokens { get; init; }
    public long OutputTextTokens { get; init; }
    public long OutputImageTokens { get; init; }
    public long TotalTokens { get; init; }
    public long Images { get; init; }
    public decimal Cost { get; init; }
    public required string Currency { get; init; }
}

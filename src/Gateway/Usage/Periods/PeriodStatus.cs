namespace Routescope.Gateway.Usage.Periods;

/// <summary>One month as <c>GET /admin/usage/periods/{yyyy-mm}</c> tells it (the totals are the endpoint's).</summary>
internal sealed record PeriodStatus
{
    public required string Period { get; init; }
    public required DateTimeOffset Start { get; init; }
    public required DateTimeOffset End { get; init; }
    public required PeriodState State { get; init; }
    public required DateTimeOffset? ClosedAt { get; init; }

    /// <summary>The month's end plus <see cref="UsageOptions.PeriodGrace"/>: the earliest it may close.</summary>
    public required DateTimeOffset GraceEndsAt { get; init; }

    public required BacklogMeasure Measure { get; init; }
}

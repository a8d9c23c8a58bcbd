namespace Routescope.Gateway.Usage.Periods;

/// <summary>What another replica said it holds for the store, and when it said so.</summary>
internal sealed record ReplicaBacklog
{
    public required long Records { get; init; }

    /// <summary>The earliest completion time among its records; null when it held none.</summary>
    public required DateTimeOffset? Oldest { get; init; }

    public required DateTimeOffset ReportedAt { get; init; }
}

namespace Routescope.Gateway.Usage.Periods;

/// <summary>
/// Closed months and the replicas' backlogs, in the store every replica shares; implemented per provider in
/// <c>Storage/Sqlite</c> and <c>Storage/Postgres</c>.
/// </summary>
internal interface IUsagePeriodStore
{
    /// <summary>
    /// Says what this replica holds that the store does not have yet (stamped with the store's time where it has one),
    /// and sweeps reports older than ten times <paramref name="liveness"/> (replicas killed without leaving).
    /// </summary>
    Task ReportBacklogAsync(string replicaId, long records, DateTimeOffset? oldest, TimeSpan liveness, CancellationToken cancellationToken);

    /// <summary>The backlogs the other replicas reported within <paramref name="liveness"/>.</summary>
    Task<IReadOnlyList<ReplicaBacklog>> OtherBacklogsAsync(string replicaId, TimeSpan liveness, CancellationToken cancellationToken);

    /// <summary>Takes this replica's report out at once (a clean stop).</summary>
    Task LeaveAsync(string replicaId, CancellationToken cancellationToken);

    /// <summary>The closed months (<c>yyyy-MM</c>) and when each closed.</summary>
    Task<IReadOnlyDictionary<string, DateTimeOffset>> ClosedMonthsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Closes every month up to and including <paramref name="lastMonth"/> that is not closed yet, from the earliest of
    /// the first month with records, the month after the last closed one and <paramref name="lastMonth"/>: months close
    /// in order, none is skipped. One transaction that no record write can interleave with (PostgreSQL: the period lock
    /// exclusively; SQLite: an immediate transaction), so a record is either in a month before it closes or a
    /// correction after. Returns the months it closed.
    /// </summary>
    Task<IReadOnlyList<string>> CloseThroughAsync(DateTimeOffset lastMonth, DateTimeOffset now, CancellationToken cancellationToken);
}

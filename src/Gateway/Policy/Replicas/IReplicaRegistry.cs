namespace Routescope.Gateway.Policy.Replicas;

/// <summary>
/// The replicas sharing one store, as each sees them: implemented per provider in <c>Storage/Sqlite</c> (one replica by
/// design) and <c>Storage/Postgres</c> (a table each replica stamps with the database's clock, so skew between the
/// replicas' own clocks cannot split them).
/// </summary>
internal interface IReplicaRegistry
{
    /// <summary>Marks this replica alive and returns the ids of every replica seen within <paramref name="liveness"/>, sorted.</summary>
    Task<IReadOnlyList<string>> HeartbeatAsync(string replicaId, TimeSpan liveness, CancellationToken cancellationToken);

    /// <summary>Takes this replica out at once (a clean stop), so the others take its share within a heartbeat.</summary>
    Task LeaveAsync(string replicaId, CancellationToken cancellationToken);
}

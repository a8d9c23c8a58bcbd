namespace Routescope.Gateway.Audit;

/// <summary>
/// Reading the audit log; implemented per provider in <c>Storage/Sqlite</c> and <c>Storage/Postgres</c>. Entries are
/// written by the key store, in the transaction of the change they record.
/// </summary>
internal interface IAuditStore
{
    /// <summary>The entries the query selects, newest first, at most its limit.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadAsync(AuditQuery query, CancellationToken cancellationToken);
}

namespace Routescope.Gateway.Usage;

/// <summary>Where usage records live; implemented per provider in <c>Storage/Sqlite</c> and <c>Storage/Postgres</c>.</summary>
internal interface IUsageStore
{
    /// <summary>
    /// Writes a batch in one transaction; records whose record id is already stored are ignored, so a replay never
    /// counts twice. The store sets each record's keeping time, billing time and charge class (<see cref="Periods.PeriodAttribution"/>).
    /// </summary>
    Task WriteAsync(IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken);

    /// <summary>
    /// Whether a failed write was refused for the records themselves (a value this store cannot hold, a violated
    /// constraint), not for the store's availability: the same records would fail the same way again.
    /// </summary>
    bool IsRecordProblem(Exception exception);

    /// <summary>Records billed in <c>[from, to)</c> (<see cref="UsageRecord.BilledAt"/>), streamed, ordered by billing time then record id.</summary>
    IAsyncEnumerable<UsageRecord> ReadAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}

namespace Routescope.Gateway.Usage;

/// <summary>Where usage records live; implemented per provider in <c>Storage/Sqlite</c> and <c>Storage/Postgres</c>.</summary>
internal interface IUsageStore
{
    /// <summary>Writes a batch in one transaction; records whose record id is already stored are ignored, so a replay never counts twice.</summary>
    Task WriteAsync(IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken);

    /// <summary>
    /// Whether a failed write was refused for the records themselves (a value this store cannot hold, a violated
    /// constraint), not for the store's availability: the same records would fail the same way again.
    /// </summary>
    bool IsRecordProblem(Exception exception);

    /// <summary>Records started in <c>[from, to)</c>, streamed, ordered for <paramref name="grouping"/> (then by start time).</summary>
    IAsyncEnumerable<UsageRecord> ReadAsync(DateTimeOffset from, DateTimeOffset to, UsageGrouping grouping, CancellationToken cancellationToken);
}

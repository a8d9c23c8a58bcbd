using Microsoft.Extensions.Options;

namespace Routescope.Gateway.Usage.Periods;

/// <summary>
/// Up to when the store is complete: the earliest completion time among the records this replica and the live others
/// still hold (queue, journal, an imported spill), and never later than now. Another replica's report is as old as
/// its last tick; what it took since ended after the report, so the report's time bounds those records too.
/// </summary>
internal sealed class UsageWatermark(UsageBacklog backlog, IUsagePeriodStore store, IOptions<UsageOptions> options, TimeProvider time)
{
    /// <summary>This replica's name in the shared backlog reports.</summary>
    public string ReplicaId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Three missed ticks and a replica counts as gone.</summary>
    private TimeSpan Liveness => options.Value.PeriodCheckInterval * 3;

    public async Task<BacklogMeasure> MeasureAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var records = backlog.Records;
        var watermark = Earlier(now, backlog.Oldest());
        foreach (var other in await store.OtherBacklogsAsync(ReplicaId, Liveness, cancellationToken))
        {
            records += other.Records;
            watermark = Earlier(Earlier(watermark, other.ReportedAt), other.Oldest);
        }

        return new BacklogMeasure { Now = now, Watermark = watermark, Records = records };
    }

    public Task ReportAsync(CancellationToken cancellationToken) =>
        store.ReportBacklogAsync(ReplicaId, backlog.Records, backlog.Oldest(), Liveness, cancellationToken);

    public Task LeaveAsync(CancellationToken cancellationToken) => store.LeaveAsync(ReplicaId, cancellationToken);

    private static DateTimeOffset Earlier(DateTimeOffset time, DateTimeOffset? other) => other is { } value && value < time ? value : time;
}

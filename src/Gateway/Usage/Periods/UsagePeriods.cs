using Microsoft.Extensions.Options;

using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Usage.Periods;

/// <summary>
/// Closes months and says where one stands. A month closes once now is past its end plus <see cref="UsageOptions.PeriodGrace"/>
/// and no record still on its way (here or at a live replica) ended before its end; months close in order, and a
/// closed month never reopens: what arrives for it later is a correction (<see cref="PeriodAttribution"/>).
/// </summary>
internal sealed partial class UsagePeriods(IUsagePeriodStore store, UsageWatermark watermark, IOptions<UsageOptions> options, ILogger<UsagePeriods> logger)
{
    /// <summary>Closes every month that is due by <paramref name="measure"/>; returns the months it closed.</summary>
    public async Task<IReadOnlyList<string>> CloseDueAsync(BacklogMeasure measure, CancellationToken cancellationToken)
    {
        // A month is due when its end is at or before both now minus the grace and the watermark; both only move
        // forward, so every month before a due one is due too.
        var due = measure.Now - options.Value.PeriodGrace;
        due = measure.Watermark < due ? measure.Watermark : due;
        if (due <= DateTimeOffset.UnixEpoch)
        {
            return [];
        }

        var closed = await store.CloseThroughAsync(BillingMonth.Start(due).AddMonths(-1), measure.Now, cancellationToken);
        foreach (var month in closed)
        {
            LogClosed(logger, month, measure.Watermark, measure.Records);
        }

        return closed;
    }

    /// <summary>The month that starts at <paramref name="month"/>, closing it (and those before it) first if it is due.</summary>
    public async Task<PeriodStatus> StatusAsync(DateTimeOffset month, CancellationToken cancellationToken)
    {
        var measure = await watermark.MeasureAsync(cancellationToken);
        await CloseDueAsync(measure, cancellationToken);
        var closedMonths = await store.ClosedMonthsAsync(cancellationToken);
        var end = month.AddMonths(1);
        var closedAt = closedMonths.TryGetValue(BillingMonth.Of(month), out var at) ? at : (DateTimeOffset?)null;
        return new PeriodStatus
        {
            Period = BillingMonth.Of(month),
            Start = month,
            End = end,
            State = closedAt is not null ? PeriodState.Closed : measure.Now < end ? PeriodState.Open : PeriodState.Closing,
            ClosedAt = closedAt,
            GraceEndsAt = end + options.Value.PeriodGrace,
            Measure = measure,
        };
    }

    [LoggerMessage(EventId = EventIds.UsagePeriodClosed, Level = LogLevel.Information,
        Message = "Usage period {Month} closed (watermark {Watermark}, {Backlog} records on their way): its totals are final, later records of it are corrections")]
    private static partial void LogClosed(ILogger logger, string month, DateTimeOffset watermark, long backlog);
}

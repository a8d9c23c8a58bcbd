using Microsoft.Extensions.Options;

using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Usage.Periods;

/// <summary>
/// Every <see cref="UsageOptions.PeriodCheckInterval"/>: reports this replica's backlog to the shared store (so the
/// others' watermarks account for it) and closes the months that are due. Nothing here stops the host: a store that
/// does not answer only delays a close.
/// </summary>
internal sealed partial class PeriodCloser(UsageWatermark watermark, UsagePeriods periods, IOptions<UsageOptions> options, TimeProvider time, ILogger<PeriodCloser> logger)
    : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Reported before the server takes requests, so that no replica serves records the others do not know of;
        // bounded, so that a store that does not answer delays no start.
        using (var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            bounded.CancelAfter(TimeSpan.FromSeconds(2));
            await TickAsync(close: false, bounded.Token);
        }

        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            // Bounded on its own: leaving is a courtesy, the others drop a stale report after three ticks.
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await watermark.LeaveAsync(bounded.Token);
        }
        catch (Exception exception)
        {
            LogCheckFailed(logger, exception.GetType().Name);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PeriodCheckInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await TickAsync(close: true, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task TickAsync(bool close, CancellationToken cancellationToken)
    {
        try
        {
            await watermark.ReportAsync(cancellationToken);
            if (close)
            {
                await periods.CloseDueAsync(await watermark.MeasureAsync(cancellationToken), cancellationToken);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogCheckFailed(logger, exception.GetType().Name);
        }
        catch (OperationCanceledException)
        {
            // Start bounded, or stopping: the next tick tries again.
        }
    }

    [LoggerMessage(EventId = EventIds.UsagePeriodCheckFailed, Level = LogLevel.Warning,
        Message = "Reporting the usage backlog or closing due periods failed ({ExceptionType}); the next check tries again")]
    private static partial void LogCheckFailed(ILogger logger, string exceptionType);
}

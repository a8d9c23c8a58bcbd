using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Storage;

/// <summary>
/// What the last ping of the store found, for <c>gateway_store_available</c> and the log. A gateway only starts with a
/// reachable (migrated) store, so it starts available.
/// </summary>
internal sealed partial class StoreAvailability
{
    private readonly ILogger<StoreAvailability> _logger;
    private volatile bool _available = true;

    public StoreAvailability(StoreMetrics metrics, ILogger<StoreAvailability> logger)
    {
        _logger = logger;
        metrics.ObserveAvailability(() => _available);
    }

    /// <summary>A ping's result: null when the store answered, else the failure's type name. Changes are logged once.</summary>
    public void Report(string? failure)
    {
        var available = failure is null;
        if (_available == available)
        {
            return;
        }

        _available = available;
        if (available)
        {
            LogBack(_logger);
        }
        else
        {
            LogLost(_logger, failure!);
        }
    }

    [LoggerMessage(EventId = EventIds.StoreAvailabilityChanged, Level = LogLevel.Warning,
        Message = "The store does not answer ({Failure}): requests are served with cached keys while they last, usage waits in the journal")]
    private static partial void LogLost(ILogger logger, string failure);

    [LoggerMessage(EventId = EventIds.StoreAvailabilityChanged, Level = LogLevel.Information, Message = "The store answers again")]
    private static partial void LogBack(ILogger logger);
}

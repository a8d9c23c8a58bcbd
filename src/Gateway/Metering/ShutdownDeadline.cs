using Microsoft.Extensions.Options;

namespace Routescope.Gateway.Metering;

/// <summary>
/// When the server is about to cut the requests still in flight: the host's shutdown timeout after shutdown began,
/// less a moment. A request aborted after <see cref="Cutting"/> fired was cut by the shutdown; one aborted during the
/// graceful window before it is a client that left (and is drained for its usage like any other).
/// </summary>
internal sealed class ShutdownDeadline : IDisposable
{
    private readonly CancellationTokenSource _cutting = new();
    private readonly CancellationTokenRegistration _stopping;

    public ShutdownDeadline(IHostApplicationLifetime lifetime, IOptions<HostOptions> host)
    {
        var timeout = host.Value.ShutdownTimeout;
        // The server gives up at the timeout; a tenth of it (at most a second) earlier is when departures become cuts.
        var margin = TimeSpan.FromTicks(Math.Min(TimeSpan.TicksPerSecond, timeout.Ticks / 10));
        _stopping = lifetime.ApplicationStopping.Register(() =>
        {
            try
            {
                _cutting.CancelAfter(timeout - margin);
            }
            catch (ObjectDisposedException)
            {
                // The host is already gone.
            }
        });
    }

    public CancellationToken Cutting => _cutting.Token;

    public void Dispose()
    {
        _stopping.Dispose();
        _cutting.Dispose();
    }
}

using Microsoft.Extensions.Options;

using Routescope.Gateway.Hosting;

namespace Routescope.Gateway.Metering;

/// <summary>
/// When the server is about to cut the requests still in flight: the host's shutdown timeout after shutdown began,
/// less a moment; at once on a second stop signal. A request aborted after <see cref="Cutting"/> fired was cut by the
/// shutdown; one aborted during the graceful window before it is a client that left (and is drained for its usage
/// like any other).
/// </summary>
/// <remarks>
/// The timeout counts from the start of shutdown, not from <c>ApplicationStopping</c>: a host stopped by code raises
/// that only after the drain delay (<see cref="ShutdownDrain"/>), which the timeout already covers.
/// </remarks>
internal sealed class ShutdownDeadline : IDisposable
{
    private readonly CancellationTokenSource _cutting = new();
    private readonly CancellationTokenRegistration _began;
    private readonly CancellationTokenRegistration _forced;

    public ShutdownDeadline(ShutdownDrain drain, IOptions<HostOptions> host)
    {
        var timeout = host.Value.ShutdownTimeout;
        // The server gives up at the timeout; a tenth of it (at most a second) earlier is when departures become cuts.
        var margin = TimeSpan.FromTicks(Math.Min(TimeSpan.TicksPerSecond, timeout.Ticks / 10));
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            _began = drain.Began.Register(() => Cut(timeout - margin - drain.SinceBegan));
        }

        _forced = drain.Forced.Register(() => Cut(TimeSpan.Zero));
    }

    public CancellationToken Cutting => _cutting.Token;

    public void Dispose()
    {
        _began.Dispose();
        _forced.Dispose();
        _cutting.Dispose();
    }

    private void Cut(TimeSpan after)
    {
        try
        {
            if (after <= TimeSpan.Zero)
            {
                _cutting.Cancel();
            }
            else
            {
                _cutting.CancelAfter(after);
            }
        }
        catch (ObjectDisposedException)
        {
            // The host is already gone.
        }
    }
}

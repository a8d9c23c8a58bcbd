using Microsoft.AspNetCore.Http.Timeouts;

namespace Routescope.Gateway.Metering;

/// <summary>
/// Keeps a request's upstream answer flowing after its client left, so the usage the upstream bills is still read:
/// the request's abort token is swapped, for the steps below, for one that fires only on the route's timeout, when
/// the drain after the client left ran out of time, or when it read more than its byte limit. <see cref="Left"/>
/// tells the client's departure apart from a timeout. A connection the server cuts because the host is shutting down
/// (its shutdown timeout ran out with the request in flight) is no departure: there is no time left to drain, so the
/// drain stops at once and <see cref="CutByShutdown"/> says why.
/// </summary>
internal sealed class ClientDeparture : IDisposable
{
    private readonly CancellationTokenSource _left = new();
    private readonly CancellationTokenSource _drain;
    private readonly CancellationTokenRegistration _watch;
    private readonly HttpContext _context;
    private readonly CancellationToken _aborted;
    private readonly long _maxBytes;
    private readonly TimeSpan _maxTime;
    private readonly CancellationToken _stopping;
    private long _discarded;
    private volatile bool _cutByShutdown;

    /// <summary>
    /// Swaps the request's abort token until disposed. <paramref name="stopping"/> fires when the server is about to cut
    /// what is still in flight at shutdown: an abort after it is the server's, not the client's.
    /// </summary>
    public ClientDeparture(HttpContext context, long maxBytes, TimeSpan maxTime, CancellationToken stopping = default)
    {
        _stopping = stopping;
        _context = context;
        _aborted = context.RequestAborted;
        _maxBytes = maxBytes;
        _maxTime = maxTime;
        // The request's own token fires on the client's departure and on the route's timeout alike; the timeout
        // feature's token on the timeout only.
        var timeout = context.Features.Get<IHttpRequestTimeoutFeature>()?.RequestTimeoutToken ?? CancellationToken.None;
        _drain = CancellationTokenSource.CreateLinkedTokenSource(timeout);
        _watch = context.RequestAborted.Register(static state =>
        {
            var (departure, timeout) = ((ClientDeparture, CancellationToken))state!;
            if (timeout.IsCancellationRequested)
            {
                return;
            }

            if (departure._stopping.IsCancellationRequested)
            {
                departure.Cut();
            }
            else
            {
                departure.MarkLeft();
            }
        }, (this, timeout));
        context.RequestAborted = _drain.Token;
    }

    /// <summary>Fires when the client went away.</summary>
    public CancellationToken Left => _left.Token;

    /// <summary>The server cut the request because the host is shutting down.</summary>
    public bool CutByShutdown => _cutByShutdown;

    /// <summary>What the steps below see as the request's abort token.</summary>
    public CancellationToken Drain => _drain.Token;

    /// <summary>The client is gone (its connection failed under a write, or its abort token fired).</summary>
    public void MarkLeft()
    {
        if (_left.IsCancellationRequested)
        {
            return;
        }

        try
        {
            _left.Cancel();
            _drain.CancelAfter(_maxTime);
        }
        catch (ObjectDisposedException)
        {
            // The request ended as the client left: nothing is left to drain.
        }
    }

    private void Cut()
    {
        _cutByShutdown = true;
        try
        {
            _left.Cancel();
            _drain.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The request ended as the server cut it.
        }
    }

    /// <summary>Counts bytes read for nobody; past the limit the drain stops and the forwarder's copy with it.</summary>
    public void Discarded(int bytes)
    {
        _discarded += bytes;
        if (_discarded > _maxBytes)
        {
            _drain.Cancel();
            throw new OperationCanceledException("The client left and the rest of the answer exceeds Usage:DrainMaxBytes.", _drain.Token);
        }
    }

    public void Dispose()
    {
        _context.RequestAborted = _aborted;
        _watch.Dispose();
        _drain.Dispose();
        _left.Dispose();
    }
}

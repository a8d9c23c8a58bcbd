namespace Routescope.Gateway.Fallback;

/// <summary>
/// Circuit breaker of one model. Hand-written rather than Polly's: Polly's breaker opens on a failure ratio over a
/// sampling window and is driven by executing through it, while the gateway needs "N consecutive failures within a
/// window" and a side-effect-free look at the state to plan a chain (is a later model worth keeping this answer back?).
/// </summary>
internal sealed class ModelCircuitBreaker(string model, CircuitBreakerOptions options, TimeProvider time, Action<string, BreakerState> changed)
{
    private readonly Lock _gate = new();
    private BreakerState _state = BreakerState.Closed;
    private int _failures;
    private DateTimeOffset _firstFailure;
    private DateTimeOffset _openedAt;
    private bool _probeInFlight;

    public string Model => model;

    /// <summary>The state as a caller would meet it now (an open breaker past its cooldown reads as half-open).</summary>
    public BreakerState State
    {
        get
        {
            lock (_gate)
            {
                return _state == BreakerState.Open && time.GetUtcNow() - _openedAt >= options.Cooldown ? BreakerState.HalfOpen : _state;
            }
        }
    }

    /// <summary>True when a request could be admitted now (without taking the probe slot).</summary>
    public bool WouldAdmit
    {
        get
        {
            lock (_gate)
            {
                return _state == BreakerState.Closed || (!_probeInFlight && time.GetUtcNow() - _openedAt >= options.Cooldown);
            }
        }
    }

    public BreakerAdmission TryAdmit()
    {
        BreakerState? change = null;
        BreakerAdmission admission;
        lock (_gate)
        {
            if (_state == BreakerState.Closed)
            {
                return BreakerAdmission.Admitted;
            }

            if (_probeInFlight || time.GetUtcNow() - _openedAt < options.Cooldown)
            {
                return BreakerAdmission.Denied;
            }

            _probeInFlight = true;
            if (_state != BreakerState.HalfOpen)
            {
                _state = BreakerState.HalfOpen;
                change = _state;
            }

            admission = BreakerAdmission.Probe;
        }

        Notify(change);
        return admission;
    }

    public void RecordSuccess(BreakerAdmission admission)
    {
        BreakerState? change = null;
        lock (_gate)
        {
            if (admission == BreakerAdmission.Probe && _state == BreakerState.HalfOpen)
            {
                _probeInFlight = false;
                _state = BreakerState.Closed;
                change = _state;
            }

            if (_state == BreakerState.Closed)
            {
                _failures = 0;
            }
        }

        Notify(change);
    }

    public void RecordFailure(BreakerAdmission admission)
    {
        BreakerState? change = null;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (admission == BreakerAdmission.Probe && _state == BreakerState.HalfOpen)
            {
                _probeInFlight = false;
                change = Open(now);
            }
            else if (_state == BreakerState.Closed)
            {
                if (_failures == 0 || now - _firstFailure > options.Window)
                {
                    _failures = 0;
                    _firstFailure = now;
                }

                if (++_failures >= options.FailureThreshold)
                {
                    change = Open(now);
                }
            }
        }

        Notify(change);
    }

    /// <summary>An admitted request ended without an outcome (the client left): free the probe slot.</summary>
    public void Abandon(BreakerAdmission admission)
    {
        if (admission != BreakerAdmission.Probe)
        {
            return;
        }

        lock (_gate)
        {
            _probeInFlight = false;
        }
    }

    private BreakerState Open(DateTimeOffset now)
    {
        _state = BreakerState.Open;
        _openedAt = now;
        _failures = 0;
        return _state;
    }

    private void Notify(BreakerState? change)
    {
        if (change is { } state)
        {
            changed(model, state);
        }
    }
}

using Microsoft.Extensions.Time.Testing;

using Routescope.Gateway.Fallback;

namespace Routescope.Gateway.Tests.Fallback;

public sealed class ModelCircuitBreakerTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly List<BreakerState> _changes = [];
    private readonly ModelCircuitBreaker _breaker;

    public ModelCircuitBreakerTests() =>
        _breaker = new ModelCircuitBreaker("m", new CircuitBreakerOptions { FailureThreshold = 3, Window = TimeSpan.FromMinutes(1), Cooldown = TimeSpan.FromSeconds(30) },
            _time, (_, state) => _changes.Add(state));

    [Fact]
    public void It_opens_after_N_consecutive_failures_within_the_window()
    {
        Fail(2);
        Assert.Equal(BreakerState.Closed, _breaker.State);

        Fail(1);

        Assert.Equal(BreakerState.Open, _breaker.State);
        Assert.Equal(BreakerAdmission.Denied, _breaker.TryAdmit());
        Assert.Equal([BreakerState.Open], _changes);
    }

    [Fact]
    public void A_success_resets_the_count()
    {
        Fail(2);
        _breaker.RecordSuccess(_breaker.TryAdmit());
        Fail(2);

        Assert.Equal(BreakerState.Closed, _breaker.State);
    }

    [Fact]
    public void Failures_spread_wider_than_the_window_do_not_open_it()
    {
        Fail(2);
        _time.Advance(TimeSpan.FromSeconds(61));
        Fail(2);

        Assert.Equal(BreakerState.Closed, _breaker.State);
    }

    [Fact]
    public void After_the_cooldown_exactly_one_probe_is_let_through_and_its_success_closes()
    {
        Fail(3);
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(BreakerAdmission.Denied, _breaker.TryAdmit());

        _time.Advance(TimeSpan.FromSeconds(1));
        var probe = _breaker.TryAdmit();

        Assert.Equal(BreakerAdmission.Probe, probe);
        Assert.Equal(BreakerAdmission.Denied, _breaker.TryAdmit());
        Assert.False(_breaker.WouldAdmit);
        _breaker.RecordSuccess(probe);
        Assert.Equal(BreakerState.Closed, _breaker.State);
        Assert.Equal(BreakerAdmission.Admitted, _breaker.TryAdmit());
        Assert.Equal([BreakerState.Open, BreakerState.HalfOpen, BreakerState.Closed], _changes);
    }

    [Fact]
    public void A_failed_probe_reopens_for_another_cooldown()
    {
        Fail(3);
        _time.Advance(TimeSpan.FromSeconds(30));
        _breaker.RecordFailure(_breaker.TryAdmit());

        Assert.Equal(BreakerState.Open, _breaker.State);
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(BreakerAdmission.Denied, _breaker.TryAdmit());
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(BreakerAdmission.Probe, _breaker.TryAdmit());
    }

    [Fact]
    public void An_abandoned_probe_frees_the_slot()
    {
        Fail(3);
        _time.Advance(TimeSpan.FromSeconds(30));
        _breaker.Abandon(_breaker.TryAdmit());

        Assert.Equal(BreakerAdmission.Probe, _breaker.TryAdmit());
    }

    [Fact]
    public void Late_outcomes_of_requests_admitted_before_it_opened_do_not_close_it()
    {
        var early = _breaker.TryAdmit();
        Fail(3);

        _breaker.RecordSuccess(early);

        Assert.Equal(BreakerState.Open, _breaker.State);
    }

    private void Fail(int times)
    {
        for (var i = 0; i < times; i++)
        {
            _breaker.RecordFailure(_breaker.TryAdmit());
        }
    }
}

using System.Diagnostics.Metrics;
using System.Net;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

using Routescope.Fake;
using Routescope.Gateway.Fallback;
using Routescope.Gateway.Observability;
using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Fallback;

/// <summary>A gateway on a clock the test moves, with a breaker that opens after two failures.</summary>
public sealed class BreakerFixture : GatewayFixture
{
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    protected override GatewayFactory CreateFactory(Dictionary<string, string?> settings)
    {
        settings["Fallback:Breaker:FailureThreshold"] = "2";
        settings["Fallback:Breaker:Window"] = "00:01:00";
        settings["Fallback:Breaker:Cooldown"] = "00:00:30";
        return new GatewayFactory(settings, Time);
    }
}

/// <summary>Each test gets a fresh gateway: breaker state is what these tests are about.</summary>
public sealed class BreakerTests : IAsyncLifetime
{
    private const string Flash25 = "gemini-2.5-flash-image";
    private const string Flash31 = "gemini-3.1-flash-image-preview";

    private readonly BreakerFixture _gateway = new();
    private string _key = null!;

    public async Task InitializeAsync()
    {
        await _gateway.InitializeAsync();
        _key = (await _gateway.CreateKeyAsync("breaker")).Key;
    }

    public Task DisposeAsync() => _gateway.DisposeAsync();

    [Fact]
    public async Task An_open_breaker_skips_its_model_then_one_probe_closes_it()
    {
        using var transitions = new TransitionListener(_gateway);
        _gateway.Upstream.Script = r => r.Model == Flash31 ? new FakeScriptedResponse { StatusCode = 503 } : null;

        for (var i = 0; i < 2; i++)
        {
            var (failing, failingAttempts) = await SendAsync();
            Assert.Equal($"{Flash31} 503 -> {Flash25}", failing);
            Assert.Equal([Flash31, Flash25], failingAttempts);
        }

        var (skipped, skippedAttempts) = await SendAsync();
        Assert.Equal($"{Flash31} circuit-open -> {Flash25}", skipped);
        Assert.Equal([Flash25], skippedAttempts);

        _gateway.Upstream.Script = null;
        _gateway.Time.Advance(TimeSpan.FromSeconds(31));
        var (probe, probeAttempts) = await SendAsync();
        Assert.Null(probe);
        Assert.Equal([Flash31], probeAttempts);

        var (closed, closedAttempts) = await SendAsync();
        Assert.Null(closed);
        Assert.Equal([Flash31], closedAttempts);
        Assert.Equal(["Open", "HalfOpen", "Closed"], transitions.States);
        Assert.Contains(_gateway.Logs.Lines, line => line.Contains("Circuit breaker of", StringComparison.Ordinal)
            && line.Contains($"\"Model\":\"{Flash31}\"", StringComparison.Ordinal) && line.Contains("\"State\":\"Open\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_probe_keeps_skipping()
    {
        _gateway.Upstream.Script = r => r.Model == Flash31 ? new FakeScriptedResponse { StatusCode = 429 } : null;
        await SendAsync();
        await SendAsync();

        _gateway.Time.Advance(TimeSpan.FromSeconds(31));
        var (probe, probeAttempts) = await SendAsync();
        var (after, afterAttempts) = await SendAsync();

        Assert.Equal($"{Flash31} 429 -> {Flash25}", probe);
        Assert.Equal([Flash31, Flash25], probeAttempts);
        Assert.Equal($"{Flash31} circuit-open -> {Flash25}", after);
        Assert.Equal([Flash25], afterAttempts);
    }

    [Fact]
    public async Task When_every_breaker_of_the_chain_is_open_the_gateway_answers_503_without_calling_upstream()
    {
        _gateway.Upstream.Script = _ => new FakeScriptedResponse { StatusCode = 503 };
        await SendAsync();
        await SendAsync();

        using var request = Request();
        using var response = await _gateway.Client.SendAsync(request);

        await GeminiErrorAssert.IsErrorAsync(response, HttpStatusCode.ServiceUnavailable, "UNAVAILABLE");
        Assert.Equal($"{Flash31} circuit-open -> {Flash25} circuit-open", response.Headers.GetValues("x-gateway-fallback").Single());
        Assert.Empty(_gateway.UpstreamReceived(GeminiRequests.RequestId(request)));
    }

    [Fact]
    public async Task Answers_that_break_off_mid_body_count_against_the_model()
    {
        using var transitions = new TransitionListener(_gateway);
        var partial = System.Text.Encoding.UTF8.GetBytes("{\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":{\"data\":\"" + new string('A', 20_000));
        _gateway.Upstream.Script = r => r.Model == Flash31 ? new FakeScriptedResponse { StatusCode = 200, Body = partial, AbortAfterBodyBytes = 4_000 } : null;
        for (var i = 0; i < 2; i++)
        {
            using var broken = Request();
            try
            {
                using var response = await _gateway.Client.SendAsync(broken);
                await response.Content.ReadAsByteArrayAsync();
            }
            catch (HttpRequestException)
            {
            }
        }

        // The client sees the break before the gateway has counted it (it is counted once the forwarder returns).
        await Eventually.TrueAsync(() => transitions.States.Contains(nameof(BreakerState.Open)));
        _gateway.Upstream.Script = null;
        var (chain, attempts) = await SendAsync();

        Assert.Equal($"{Flash31} circuit-open -> {Flash25}", chain);
        Assert.Equal([Flash25], attempts);
    }

    private HttpRequestMessage Request() => GeminiRequests.Generate(_key, model: Flash31);

    private async Task<(string? Chain, string[] Attempts)> SendAsync()
    {
        using var request = Request();
        using var response = await _gateway.Client.SendAsync(request);
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests, response.StatusCode.ToString());
        var chain = response.Headers.TryGetValues("x-gateway-fallback", out var values) ? values.Single() : null;
        return (chain, _gateway.UpstreamReceived(GeminiRequests.RequestId(request)).Select(a => a.Model ?? "?").ToArray());
    }

    /// <summary>Collects the breaker transitions the gateway's meter reports.</summary>
    private sealed class TransitionListener : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<string> _states = [];
        private readonly Meter _meter;

        public TransitionListener(BreakerFixture gateway)
        {
            var factory = gateway.Factory.Services.GetRequiredService<IMeterFactory>();
            _meter = factory.Create(GatewayMeter.Name);
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == _meter.Scope && instrument.Name == "gateway.circuit_breaker.transitions")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "state")
                    {
                        lock (_states)
                        {
                            _states.Add((string)tag.Value!);
                        }
                    }
                }
            });
            _listener.Start();
        }

        public IReadOnlyList<string> States
        {
            get
            {
                lock (_states)
                {
                    return [.. _states];
                }
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}

public sealed class ShortTimeoutFixture : GatewayFixture
{
    protected override GatewayFactory CreateFactory(Dictionary<string, string?> settings)
    {
        settings["ReverseProxy:Clusters:routescope:HttpRequest:ActivityTimeout"] = "00:00:01";
        settings["Fallback:Breaker:FailureThreshold"] = "1000";
        return base.CreateFactory(settings);
    }
}

public sealed class TimeoutFallbackTests(ShortTimeoutFixture gateway) : IClassFixture<ShortTimeoutFixture>
{
    [Fact]
    public async Task A_timeout_before_the_headers_moves_to_the_fallback()
    {
        var key = await gateway.CreateKeyAsync();
        using var request = GeminiRequests.Generate(key.Key, model: "gemini-3.1-flash-image-preview");
        var id = GeminiRequests.RequestId(request);
        gateway.Upstream.Script = r => r.Header("x-request-id") == id && r.Model == "gemini-3.1-flash-image-preview"
            ? new FakeScriptedResponse { StatusCode = 200, Delay = TimeSpan.FromSeconds(3) }
            : null;

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("gemini-3.1-flash-image-preview timeout -> gemini-2.5-flash-image", response.Headers.GetValues("x-gateway-fallback").Single());
    }
}

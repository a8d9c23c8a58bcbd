using System.Net;

using Microsoft.Extensions.DependencyInjection;

using Routescope.Gateway.Tests.Infrastructure;
using Routescope.Gateway.Usage;

namespace Routescope.Gateway.Tests.Upstream;

/// <summary>
/// A gateway in Development with no upstream key: demo mode, as <c>dotnet run</c> from the repository gets it. Every
/// place that must say so does: readiness, the gauge, and each usage record's channel.
/// </summary>
public sealed class DemoModeTests(DemoModeTests.DemoFixture gateway) : IClassFixture<DemoModeTests.DemoFixture>
{
    [Fact]
    public async Task Readiness_says_demo()
    {
        using var response = await gateway.Client.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"mode\":\"demo\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_demo_gauge_is_1()
    {
        var scrape = await gateway.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Contains("# TYPE gateway_demo_mode gauge", scrape, StringComparison.Ordinal);
        Assert.Equal(1, DemoGauge.Read(gateway.Factory.Services));
    }

    [Fact]
    public async Task Usage_is_recorded_on_the_demo_channel_at_ratio_1_and_the_configured_upstream_gets_nothing()
    {
        var key = await gateway.CreateKeyAsync("demo-user");
        using var request = GeminiRequests.Generate(key.Key);
        using var response = await gateway.Client.SendAsync(request);
        var requestId = response.Headers.GetValues("x-request-id").Single();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        UsageRecord? record = null;
        await Eventually.TrueAsync(async () => (record = await RecordAsync(requestId)) is not null, TimeSpan.FromSeconds(20));
        Assert.Equal("demo", record!.Channel);
        // The routescope channel's ratio (1.3 here) is the real relay's; fake answers are priced at the catalog's prices.
        Assert.Equal(1m, record.ChannelRatio);
        Assert.Empty(gateway.Upstream.Received);
    }

    private async Task<UsageRecord?> RecordAsync(string requestId)
    {
        await foreach (var record in gateway.Factory.Services.GetRequiredService<IUsageStore>()
            .ReadAsync(DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow.AddDays(1), CancellationToken.None))
        {
            if (record.RequestId == requestId)
            {
                return record;
            }
        }

        return null;
    }

    /// <summary>The gateway without an upstream key or address, in Development (the test host's environment).</summary>
    public sealed class DemoFixture : GatewayFixture
    {
        protected override GatewayFactory CreateFactory(Dictionary<string, string?> settings)
        {
            settings.Remove("ROUTESCOPE_BASE_URL");
            settings.Remove("ROUTESCOPE_API_KEY");
            settings["Billing:ChannelRatios:routescope"] = "1.3";
            return new GatewayFactory(settings);
        }
    }
}

/// <summary>A gateway with its upstream key: not a demo, and it says so too.</summary>
public sealed class UpstreamModeTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Readiness_says_upstream_and_the_demo_gauge_is_0()
    {
        var ready = await gateway.Client.GetStringAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Contains("\"mode\":\"upstream\"", ready, StringComparison.Ordinal);
        Assert.Equal(0, DemoGauge.Read(gateway.Factory.Services));
    }
}

/// <summary>
/// The <c>gateway.demo_mode</c> gauge of one host. Read through a listener bound to that host's meter factory: every
/// test host in this process has a meter of the same name, and a Prometheus scrape may show another host's gauge.
/// </summary>
internal static class DemoGauge
{
    public static int Read(IServiceProvider services)
    {
        var factory = services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        int? value = null;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "gateway.demo_mode" && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, measurement, _, _) => value = measurement);
        listener.Start();
        listener.RecordObservableInstruments();
        return value ?? throw new Xunit.Sdk.XunitException("gateway.demo_mode is not published by this host.");
    }
}

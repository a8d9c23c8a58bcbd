using Microsoft.Extensions.DependencyInjection;

using Routescope.Gateway.Tests.Infrastructure;
using Routescope.Gateway.Usage;

namespace Routescope.Gateway.Tests.Faults;

/// <summary>
/// A gateway whose upstream is <see cref="RawFaultUpstream"/> in front of the fake, with bounds short enough that every
/// stall ends in seconds: a 2 s activity timeout, and a breaker that opens after 3 failures and lets a probe through
/// after 2 s.
/// </summary>
public sealed class FaultFixture : GatewayFixture
{
    public const int BreakerThreshold = 3;

    public static readonly TimeSpan ActivityTimeout = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan BreakerCooldown = TimeSpan.FromSeconds(2);

    public RawFaultUpstream Raw { get; private set; } = null!;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Raw.DisposeAsync();
    }

    /// <summary>Every record the gateway kept for the request with this id, once its own record is in the store.</summary>
    internal async Task<IReadOnlyList<UsageRecord>> RecordsOfAsync(string requestId)
    {
        var store = Factory.Services.GetRequiredService<IUsageStore>();
        List<UsageRecord> found = [];
        await Eventually.TrueAsync(async () =>
        {
            found = [];
            await foreach (var record in store.ReadAsync(DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow.AddDays(1), CancellationToken.None))
            {
                if (record.RequestId == requestId)
                {
                    found.Add(record);
                }
            }

            return found.Exists(record => record.Outcome != UsageOutcome.Abandoned);
        }, TimeSpan.FromSeconds(20));
        return found;
    }

    protected override GatewayFactory CreateFactory(Dictionary<string, string?> settings)
    {
        Raw = RawFaultUpstream.Start(Upstream.BaseAddress);
        settings["ROUTESCOPE_BASE_URL"] = Raw.BaseAddress.ToString();
        settings["ReverseProxy:Clusters:routescope:HttpRequest:ActivityTimeout"] = ActivityTimeout.ToString();
        settings["Fallback:Breaker:FailureThreshold"] = BreakerThreshold.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Fallback:Breaker:Window"] = "00:00:30";
        settings["Fallback:Breaker:Cooldown"] = BreakerCooldown.ToString();
        return base.CreateFactory(settings);
    }
}

using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Hostile;

/// <summary>
/// The gateway as a hostile caller meets it, with three test settings that make each failure visible at once: its
/// upstream behind a <see cref="TcpTap"/>; a breaker that opens on the first failure it counts, so one request that
/// wrongly counts against a model shows as the next valid request's 503; and short Kestrel and route deadlines, so
/// slow bodies end in seconds, and a 4 MiB body limit. Models outside the catalog are served (<c>Billing:UnpricedModels=Record</c>), so the
/// checks that hold for every model are tried on one the catalog does not know.
/// </summary>
public sealed class HostileFixture : GatewayFixture
{
    /// <summary>The route's overall timeout here: a body that drips past it meets the route deadline.</summary>
    public static readonly TimeSpan RouteTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The breaker's cooldown here: how long a wrongly opened breaker keeps the next cases' checks failing.</summary>
    public static readonly TimeSpan BreakerCooldown = TimeSpan.FromSeconds(1);

    public TcpTap Tap { get; private set; } = null!;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Tap.DisposeAsync();
    }

    protected override GatewayFactory CreateFactory(Dictionary<string, string?> settings)
    {
        Tap = new TcpTap(Upstream.BaseAddress);
        settings["ROUTESCOPE_BASE_URL"] = Tap.Address.ToString();
        settings["Billing:UnpricedModels"] = "Record";
        // Oversize bodies are refused the same way at any limit; a small one keeps those cases fast.
        settings["Limits:MaxRequestBytes"] = "4194304";
        settings["Fallback:Breaker:FailureThreshold"] = "1";
        settings["Fallback:Breaker:Cooldown"] = BreakerCooldown.ToString("c");
        settings["ReverseProxy:Routes:gemini:Timeout"] = RouteTimeout.ToString("c");
        settings["ReverseProxy:Routes:gemini-v1:Timeout"] = RouteTimeout.ToString("c");
        return new GatewayFactory(settings, services: services => services.Configure<KestrelServerOptions>(kestrel =>
        {
            // Kestrel's own defence against slow clients, made short (its grace period must exceed its 1 s heartbeat).
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(2);
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(2));
        }));
    }
}

using Microsoft.Extensions.Options;

using Routescope.Gateway.Keys;
using Routescope.Gateway.Policy;

using Yarp.ReverseProxy.Configuration;

namespace Routescope.Gateway.Upstream;

/// <summary>
/// Applies what the YARP section cannot say by itself: the upstream address from the environment, the rule that no
/// proxied route is ever reachable without a gateway key (an open route would spend our upstream key for anyone), and
/// the keys' rate limits on every route.
/// </summary>
internal sealed class UpstreamConfigFilter(UpstreamEndpoint endpoint, IOptions<UpstreamOptions> options) : IProxyConfigFilter
{
    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel)
    {
        // In demo mode every cluster goes to the fake upstream: nothing a demo sends may reach a real channel.
        if (endpoint.AddressOverride is not { } address
            || (!endpoint.Demo && !string.Equals(cluster.ClusterId, options.Value.ClusterId, StringComparison.OrdinalIgnoreCase))
            || cluster.Destinations is null)
        {
            return ValueTask.FromResult(cluster);
        }

        var destinations = new Dictionary<string, DestinationConfig>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, destination) in cluster.Destinations)
        {
            destinations[name] = destination with { Address = address.ToString() };
        }

        return ValueTask.FromResult(cluster with { Destinations = destinations });
    }

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel)
    {
        var policy = route.AuthorizationPolicy;
        if (string.Equals(policy, "anonymous", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"ReverseProxy:Routes:{route.RouteId}:AuthorizationPolicy: 'Anonymous' is not allowed; every proxied route requires a gateway key.");
        }

        if (string.Equals(route.RateLimiterPolicy, "disable", StringComparison.OrdinalIgnoreCase) || string.Equals(route.RateLimiterPolicy, "default", StringComparison.OrdinalIgnoreCase))
        {
            // Either would drop the keys' limits on this route (Disable even the concurrency one).
            throw new InvalidOperationException(
                $"ReverseProxy:Routes:{route.RouteId}:RateLimiterPolicy: '{route.RateLimiterPolicy}' is not allowed; every proxied route carries the keys' limits.");
        }

        // Every proxied route carries the keys' rate and concurrency limits unless it names a limiter of its own.
        var limited = string.IsNullOrEmpty(route.RateLimiterPolicy) ? route with { RateLimiterPolicy = KeyRateLimiterPolicy.Name } : route;
        return string.IsNullOrEmpty(policy) || string.Equals(policy, "default", StringComparison.OrdinalIgnoreCase)
            ? ValueTask.FromResult(limited with { AuthorizationPolicy = GatewayKeyDefaults.Policy })
            : ValueTask.FromResult(limited);
    }
}

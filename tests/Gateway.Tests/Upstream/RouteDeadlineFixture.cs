using Routescope.Gateway.Tests.Infrastructure;
using Routescope.Gateway.Tests.Usage;

namespace Routescope.Gateway.Tests.Upstream;

/// <summary>
/// A gateway whose routes give each request 2 s in all (the route's <c>Timeout</c>), well inside the cluster's
/// ActivityTimeout, and whose breakers open at the first failure: a deadline counted against a model would show at once.
/// </summary>
public sealed class RouteDeadlineFixture : UsageFixture
{
    protected override GatewayFactory CreateFactory(Dictionary<string, string?> settings)
    {
        settings["ReverseProxy:Routes:gemini:Timeout"] = "00:00:02";
        settings["ReverseProxy:Routes:gemini-v1:Timeout"] = "00:00:02";
        settings["Fallback:Breaker:FailureThreshold"] = "1";
        return base.CreateFactory(settings);
    }
}

using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Routescope.Gateway.Hosting;

/// <summary>Readiness: not ready from the moment shutdown begins, though the listener still serves during the drain delay.</summary>
internal sealed class DrainHealthCheck(ShutdownDrain drain) : IHealthCheck
{
    public const string Name = "lifecycle";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(drain.Draining
            ? HealthCheckResult.Unhealthy("draining: shutting down, requests in flight finish")
            : HealthCheckResult.Healthy("serving"));
}

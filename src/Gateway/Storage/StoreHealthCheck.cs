using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Routescope.Gateway.Storage;

/// <summary>Readiness: the store answers within the configured time.</summary>
internal sealed class StoreHealthCheck(IStoreProbe probe, IOptions<StoreOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.ReadinessTimeout);
        try
        {
            await probe.PingAsync(timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The exception text can carry a connection string: report only its type.
            return HealthCheckResult.Unhealthy("store unreachable (" + exception.GetType().Name + ")");
        }
    }
}

using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Routescope.Gateway.Storage;

/// <summary>Readiness: the store answers within the configured time. Each provider says how to ask it.</summary>
internal abstract class StoreHealthCheck(IOptions<StoreOptions> options) : IHealthCheck
{
    public const string Name = "store";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.ReadinessTimeout);
        try
        {
            await PingAsync(timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The exception text can carry a connection string: report only its type.
            return HealthCheckResult.Unhealthy("store unreachable (" + exception.GetType().Name + ")");
        }
    }

    /// <summary>One cheap round trip that needs the schema: a store that answers but was never migrated is not ready.</summary>
    protected abstract Task PingAsync(CancellationToken cancellationToken);
}

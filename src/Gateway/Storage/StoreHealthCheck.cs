using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

using Routescope.Gateway.Keys;

namespace Routescope.Gateway.Storage;

/// <summary>
/// Readiness as far as the store decides it: ready while it answers within the configured time; degraded (still 200)
/// while it does not but this replica can serve anyway, from keys it read recently, with usage waiting in the journal;
/// not ready only when it can authenticate nobody. A store outage is every replica's at once: failing readiness for it
/// alone would take them all out of the load balancer together. Each provider says how to ask it.
/// </summary>
internal abstract class StoreHealthCheck(IOptions<StoreOptions> options, StoreAvailability availability, KeyCache keys) : IHealthCheck
{
    public const string Name = "store";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (await ProbeAsync(cancellationToken) is not { } failure)
        {
            return HealthCheckResult.Healthy("reachable");
        }

        // The exception text can carry a connection string: report only its type.
        var unreachable = "store unreachable (" + failure + ")";
        return keys.HasFreshKeys
            ? HealthCheckResult.Degraded(unreachable + "; serving with the keys read within Keys:CacheTtl, usage waits in the journal")
            : HealthCheckResult.Unhealthy(unreachable + "; no key is cached, so no caller can be authenticated");
    }

    /// <summary>Pings the store and records the answer: null when it answered, else the failure's type name.</summary>
    public async Task<string?> ProbeAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.ReadinessTimeout);
        try
        {
            await PingAsync(timeout.Token);
            availability.Report(null);
            return null;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var failure = exception.GetType().Name;
            availability.Report(failure);
            return failure;
        }
    }

    /// <summary>One cheap round trip that needs the schema: a store that answers but was never migrated is not ready.</summary>
    protected abstract Task PingAsync(CancellationToken cancellationToken);
}

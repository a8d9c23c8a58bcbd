using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Routescope.Gateway.Usage;

/// <summary>Readiness shows a usage backlog (spilled records, a filling queue) as degraded, with its size.</summary>
internal sealed class UsageBacklogHealthCheck(UsageSink sink, IOptions<UsageOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var queued = sink.QueueDepth;
        var spilled = sink.SpillPending;
        var description = $"usage backlog: {queued} queued, {spilled} spilled";
        return Task.FromResult(spilled > 0 || sink.StoreFailing || queued > options.Value.QueueCapacity / 2
            ? HealthCheckResult.Degraded(description)
            : HealthCheckResult.Healthy(description));
    }
}

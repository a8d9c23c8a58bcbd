using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

using Routescope.Gateway.Usage.Journal;

namespace Routescope.Gateway.Usage;

/// <summary>
/// Readiness of the usage pipeline: not ready while the journal's disk refuses writes and billable requests are refused
/// for it (<see cref="UsageDurability.BeforeDelivery"/>); degraded while records pile up (store failing, journal refused
/// under best effort), with the backlog's size.
/// </summary>
internal sealed class UsageBacklogHealthCheck(UsageSink sink, UsageJournal journal, IOptions<UsageOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var description = $"usage backlog: {journal.Pending} in the journal, {sink.QueueDepth} in memory";
        if (journal.Refusal is { } refusal)
        {
            var refused = $"usage journal refuses writes ({refusal}); {description}";
            return Task.FromResult(options.Value.Durability == UsageDurability.BeforeDelivery
                ? HealthCheckResult.Unhealthy(refused + "; billable requests are refused")
                : HealthCheckResult.Degraded(refused));
        }

        if (sink.Quarantined)
        {
            return Task.FromResult(HealthCheckResult.Degraded($"{description}; records the store refused wait in {UsageQuarantine.FileName}"));
        }

        return Task.FromResult(sink.StoreFailing || sink.QueueDepth > 0 ? HealthCheckResult.Degraded(description) : HealthCheckResult.Healthy(description));
    }
}

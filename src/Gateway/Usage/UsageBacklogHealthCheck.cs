using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

using Routescope.Gateway.Usage.Journal;

namespace Routescope.Gateway.Usage;

/// <summary>
/// Readiness of the usage pipeline: not ready while usage can be neither journaled nor stored (the journal's disk
/// refuses writes, and billable requests are refused for it under <see cref="UsageDurability.BeforeDelivery"/>, or the
/// store fails too under best effort, so records live in memory only); degraded while records wait (store failing,
/// journal refused under best effort, records quarantined), with the backlog's size.
/// </summary>
internal sealed class UsageBacklogHealthCheck(UsageSink sink, UsageJournal journal, IOptions<UsageOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var description = $"usage backlog: {journal.Pending} in the journal, {sink.QueueDepth} in memory";
        if (journal.Refusal is { } refusal)
        {
            var refused = $"usage journal refuses writes ({refusal}); {description}";
            if (options.Value.Durability == UsageDurability.BeforeDelivery)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy(refused + "; billable requests are refused"));
            }

            return Task.FromResult(sink.StoreFailing
                ? HealthCheckResult.Unhealthy(refused + "; the store fails too, records are in memory only")
                : HealthCheckResult.Degraded(refused));
        }

        if (sink.Quarantined)
        {
            return Task.FromResult(HealthCheckResult.Degraded($"{description}; records the store refused wait in {UsageQuarantine.FileName}"));
        }

        return Task.FromResult(sink.StoreFailing || sink.QueueDepth > 0 ? HealthCheckResult.Degraded(description) : HealthCheckResult.Healthy(description));
    }
}

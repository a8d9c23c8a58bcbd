using System.Globalization;
using System.Threading.RateLimiting;

using Microsoft.AspNetCore.RateLimiting;

using Routescope.Gateway.Keys;
using Routescope.Gateway.Policy.Replicas;

namespace Routescope.Gateway.Policy;

/// <summary>
/// A key's requests in flight: ASP.NET Core's global limiter, which the rate limiting middleware takes before the
/// route's policy (the rpm window), so that each refusal is told apart and the two need no hand-written chaining.
/// Requests without a key's policy (health, metrics, admin) get no limiter. With several replicas each enforces its
/// share (<see cref="ReplicaShare"/>), which the partition's name carries.
/// </summary>
internal static class KeyConcurrencyLimiter
{
    public static PartitionedRateLimiter<HttpContext> Create(ReplicaShare replicas) => PartitionedRateLimiter.Create<HttpContext, string>(context =>
        context.Features.Get<CallerPolicy>() is { Effective: { Disabled: not true, Concurrency: { } inFlight } } caller
            ? RateLimitPartition.GetConcurrencyLimiter(string.Create(CultureInfo.InvariantCulture, $"{caller.KeyId}/{replicas.Of(inFlight)}"),
                partition => new ConcurrencyLimiterOptions { PermitLimit = int.Parse(partition.AsSpan(partition.LastIndexOf('/') + 1), CultureInfo.InvariantCulture), QueueLimit = 0 })
            : RateLimitPartition.GetNoLimiter(string.Empty));

    public static ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        rejected.HttpContext.RequestServices.GetRequiredService<PolicyMetrics>().Refused(PolicyReasons.Concurrency, rejected.HttpContext);
        var policy = rejected.HttpContext.Features.Get<CallerPolicy>()?.Effective ?? KeyPolicy.None;
        return Refusal.WriteAsync(rejected.HttpContext, TimeSpan.FromSeconds(1),
            $"This API key is limited to {policy.Concurrency} requests at once. Retry when one has finished.");
    }
}

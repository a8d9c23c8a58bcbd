using System.Globalization;
using System.Threading.RateLimiting;

using Microsoft.AspNetCore.RateLimiting;

using Routescope.Gateway.Keys;

namespace Routescope.Gateway.Policy;

/// <summary>
/// A key's requests per minute: the rate limiting policy of the proxied routes (ASP.NET Core's rate limiter, attached
/// to the YARP routes by name), a sliding window of one minute in six segments per key and limit, so a changed limit
/// starts a fresh window and an unlimited key costs nothing. A refusal is a Gemini 429 <c>RESOURCE_EXHAUSTED</c>.
/// </summary>
internal sealed class KeyRateLimiterPolicy(PolicyMetrics metrics) : IRateLimiterPolicy<string>
{
    public const string Name = "gateway-key-rpm";

    /// <summary>A window slides every 10 s: after a refusal, a permit comes back within that.</summary>
    private static readonly TimeSpan Segment = TimeSpan.FromSeconds(10);

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => RejectAsync;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        if (httpContext.Features.Get<CallerPolicy>() is not { Effective: { Disabled: not true, Rpm: { } rpm } } caller)
        {
            return RateLimitPartition.GetNoLimiter(string.Empty);
        }

        return RateLimitPartition.GetSlidingWindowLimiter(string.Create(CultureInfo.InvariantCulture, $"{caller.KeyId}/{rpm}"), _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = rpm,
            Window = TimeSpan.FromMinutes(1),
            SegmentsPerWindow = (int)(TimeSpan.FromMinutes(1) / Segment),
            QueueLimit = 0,
        });
    }

    private ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        metrics.Refused(PolicyReasons.Rpm);
        var policy = rejected.HttpContext.Features.Get<CallerPolicy>()?.Effective ?? KeyPolicy.None;
        var retry = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : Segment;
        return Refusal.WriteAsync(rejected.HttpContext, retry, $"This API key is limited to {policy.Rpm} requests per minute. Retry in {RetrySeconds(retry)} s.");
    }

    internal static int RetrySeconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
}

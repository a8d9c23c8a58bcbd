using System.Globalization;
using System.Threading.RateLimiting;

using Microsoft.AspNetCore.RateLimiting;

using Routescope.Gateway.Errors;
using Routescope.Gateway.Keys;
using Routescope.Gateway.Policy.Replicas;

namespace Routescope.Gateway.Policy;

/// <summary>
/// A key's requests per minute: the rate limiting policy of the proxied routes (ASP.NET Core's rate limiter, attached
/// to the YARP routes by name), a sliding window of one minute in six segments per key and limit, so a changed limit
/// (or replica count) starts a fresh window and an unlimited key costs nothing. With several replicas each enforces
/// its share (<see cref="ReplicaShare"/>). A refusal is a Gemini 429 <c>RESOURCE_EXHAUSTED</c>.
/// </summary>
internal sealed class KeyRateLimiterPolicy(PolicyMetrics metrics, ReplicaShare replicas) : IRateLimiterPolicy<string>
{
    public const string Name = "gateway-key-rpm";

    /// <summary>The window slides every 10 s.</summary>
    private static readonly TimeSpan Segment = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A permit comes back when the segment that took it leaves the window: up to a minute later. The sliding window
    /// attaches no retry time to a refusal, so the honest hint is the window.
    /// </summary>
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => RejectAsync;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        if (httpContext.Features.Get<CallerPolicy>() is not { Effective: { Disabled: not true, Rpm: { } rpm } } caller)
        {
            return RateLimitPartition.GetNoLimiter(string.Empty);
        }

        var share = replicas.Of(rpm);
        return RateLimitPartition.GetSlidingWindowLimiter(string.Create(CultureInfo.InvariantCulture, $"{caller.KeyId}/{share}"), _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = share,
            Window = Window,
            SegmentsPerWindow = (int)(Window / Segment),
            QueueLimit = 0,
        });
    }

    private ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        metrics.Refused(PolicyReasons.Rpm, rejected.HttpContext);
        var policy = rejected.HttpContext.Features.Get<CallerPolicy>()?.Effective ?? KeyPolicy.None;
        var retry = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : Window;
        return Refusal.WriteAsync(rejected.HttpContext, retry, $"This API key is limited to {policy.Rpm} requests per minute. Retry in at most {GeminiError.RetrySeconds(retry)} s.");
    }
}

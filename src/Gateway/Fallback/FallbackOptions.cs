namespace Routescope.Gateway.Fallback;

/// <summary>The <c>Fallback</c> section: when to move on to the next model of a chain, and the per-model breaker.</summary>
internal sealed class FallbackOptions
{
    public const string SectionName = "Fallback";

    public static readonly int[] DefaultRetryableStatuses = [404, 429, 500, 502, 503, 504];

    /// <summary>
    /// Upstream statuses that move on to the next model; empty means <see cref="DefaultRetryableStatuses"/>. (Empty by
    /// default because configuration binding appends to an array's initial items rather than replacing them.)
    /// </summary>
    public int[] RetryableStatuses { get; set; } = [];

    /// <summary>What to do with a fallback model that lacks a requested parameter: adapt the body, or skip the model.</summary>
    public IncompatibleModelMode OnIncompatible { get; set; } = IncompatibleModelMode.Adapt;

    public CircuitBreakerOptions Breaker { get; set; } = new();
}

internal enum IncompatibleModelMode
{
    Adapt,
    Skip,
}

internal sealed class CircuitBreakerOptions
{
    /// <summary>Consecutive retryable failures that open the breaker of a model.</summary>
    public int FailureThreshold { get; set; } = 5;

    /// <summary>The failures must fall within this time, counted from the first of them.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long an open breaker skips its model before one probe request may try it.</summary>
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromSeconds(30);
}

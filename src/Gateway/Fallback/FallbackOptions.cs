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

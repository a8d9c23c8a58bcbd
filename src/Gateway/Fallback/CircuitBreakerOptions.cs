namespace Routescope.Gateway.Fallback;

/// <summary>The <c>Fallback:Breaker</c> section: when a model's breaker opens and for how long.</summary>
internal sealed class CircuitBreakerOptions
{
    /// <summary>Consecutive retryable failures that open the breaker of a model.</summary>
    public int FailureThreshold { get; set; } = 5;

    /// <summary>The failures must fall within this time, counted from the first of them.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long an open breaker skips its model before one probe request may try it.</summary>
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromSeconds(30);
}

using System.Collections.Concurrent;

using Microsoft.Extensions.Options;

using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Fallback;

/// <summary>One breaker per model, per replica (breaker state is not shared between replicas).</summary>
internal sealed partial class CircuitBreakers(IOptions<FallbackOptions> options, TimeProvider time, FallbackMetrics metrics, ILogger<CircuitBreakers> logger)
{
    private readonly ConcurrentDictionary<string, ModelCircuitBreaker> _breakers = new(StringComparer.Ordinal);

    public ModelCircuitBreaker For(string model) =>
        _breakers.GetOrAdd(model, name => new ModelCircuitBreaker(name, options.Value.Breaker, time, Changed));

    private void Changed(string model, BreakerState state)
    {
        LogTransition(logger, model, state);
        metrics.BreakerTransition(model, state);
    }

    [LoggerMessage(EventId = EventIds.BreakerTransition, Level = LogLevel.Warning, Message = "Circuit breaker of {Model} is now {State}")]
    private static partial void LogTransition(ILogger logger, string model, BreakerState state);
}

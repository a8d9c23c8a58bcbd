using System.Collections.Concurrent;

using System.Diagnostics.Metrics;

using Microsoft.Extensions.Options;

using Routescope.Gateway.Catalog;
using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Fallback;

/// <summary>One breaker per model, per replica (breaker state is not shared between replicas).</summary>
internal sealed partial class CircuitBreakers
{
    private readonly ConcurrentDictionary<string, ModelCircuitBreaker> _breakers = new(StringComparer.Ordinal);
    private readonly IOptions<FallbackOptions> _options;
    private readonly TimeProvider _time;
    private readonly FallbackMetrics _metrics;
    private readonly ILogger<CircuitBreakers> _logger;
    private readonly string[] _catalogModels;

    public CircuitBreakers(IOptions<FallbackOptions> options, TimeProvider time, FallbackMetrics metrics, ModelCatalog catalog, ILogger<CircuitBreakers> logger)
    {
        _options = options;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _catalogModels = [.. catalog.Models];
        metrics.ObserveBreakers(States);
    }

    public ModelCircuitBreaker For(string model) =>
        _breakers.GetOrAdd(model, name => new ModelCircuitBreaker(name, _options.Value.Breaker, _time, Changed));

    /// <summary>
    /// Every catalog model's state (closed until it was first tried), and no other model's: a model outside the
    /// catalog is the client's word, and its breaker must not become a series of its own.
    /// </summary>
    private IEnumerable<Measurement<int>> States()
    {
        foreach (var model in _catalogModels)
        {
            var state = _breakers.TryGetValue(model, out var breaker) ? breaker.State : BreakerState.Closed;
            yield return new Measurement<int>(GaugeValue(state), new KeyValuePair<string, object?>("model", model));
        }
    }

    private static int GaugeValue(BreakerState state) => state switch
    {
        BreakerState.Open => 2,
        BreakerState.HalfOpen => 1,
        _ => 0,
    };

    private void Changed(string model, BreakerState state)
    {
        LogTransition(_logger, model, state);
        _metrics.BreakerTransition(model, state);
    }

    [LoggerMessage(EventId = EventIds.BreakerTransition, Level = LogLevel.Warning, Message = "Circuit breaker of {Model} is now {State}")]
    private static partial void LogTransition(ILogger logger, string model, BreakerState state);
}

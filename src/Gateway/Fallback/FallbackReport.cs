namespace Routescope.Gateway.Fallback;

/// <summary>
/// The chain a request took, told to the client in headers (<c>x-gateway-model</c>, <c>x-gateway-fallback</c>,
/// <c>x-gateway-adapted</c>) and, later, to the usage record. The headers are written when the response starts, which
/// happens inside the attempt being served, so the report follows the attempt in flight. Owned by one request's loop.
/// </summary>
internal sealed class FallbackReport(string requestedModel)
{
    public const string ModelHeader = "x-gateway-model";
    public const string FallbackHeader = "x-gateway-fallback";
    public const string AdaptedHeader = "x-gateway-adapted";

    private readonly List<string> _hops = [];
    private UpstreamAttempt? _current;
    private string? _failure;

    public string RequestedModel => requestedModel;

    /// <summary>The model whose answer the client gets (the last one tried when all failed); null if none was tried.</summary>
    public string? ServedModel => _current?.Model;

    public IReadOnlyList<string> Adaptations { get; private set; } = [];

    /// <summary>Models passed over, each with why: a status, <c>timeout</c>, <c>unreachable</c>, <c>circuit-open</c>, <c>incompatible</c>.</summary>
    public IReadOnlyList<string> Hops => _hops;

    /// <summary>Why the served answer is itself a failure (every model of the chain failed); null for a real answer.</summary>
    public string? FinalFailure => _failure ?? _current?.PassedThroughStatus?.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public void Begin(UpstreamAttempt attempt, IReadOnlyList<string> adaptations)
    {
        _current = attempt;
        _failure = null;
        Adaptations = adaptations;
    }

    public void PassOver(string model, string reason) => _hops.Add(model + " " + reason);

    /// <summary>Every model was passed over: no answer is served.</summary>
    public void NoneServed() => _current = null;

    /// <summary>The last attempt failed and nothing is left to try.</summary>
    public void Fail(string reason) => _failure = reason;

    public string? FallbackHeaderValue
    {
        get
        {
            if (_hops.Count == 0)
            {
                return null;
            }

            var chain = string.Join(" -> ", _hops);
            return _current is null ? chain : chain + " -> " + _current.Model + (FinalFailure is { } failure ? " " + failure : string.Empty);
        }
    }

    public Task WriteHeaders(HttpResponse response)
    {
        response.Headers[ModelHeader] = ServedModel ?? requestedModel;
        if (FallbackHeaderValue is { } chain)
        {
            response.Headers[FallbackHeader] = chain;
        }

        if (Adaptations.Count > 0)
        {
            response.Headers[AdaptedHeader] = string.Join("; ", Adaptations);
        }

        return Task.CompletedTask;
    }
}

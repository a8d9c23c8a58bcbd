namespace Routescope.Gateway.Fallback;

/// <summary>
/// The attempt in flight, as a request feature: which model it targets and whether a retryable answer may be held
/// back for a next model. Owned by the attempt loop; the response transform writes <see cref="HeldBackStatus"/>.
/// </summary>
internal sealed class UpstreamAttempt(string model, Func<bool> hasNext)
{
    // Evaluated only when an attempt fails: the happy path never adapts bodies for models it will not call.
    private readonly Lazy<bool> _hasNext = new(hasNext, LazyThreadSafetyMode.None);

    public string Model => model;

    /// <summary>Whether a later model of the chain could still be tried (compatible and its breaker admitting).</summary>
    public bool HasNext => _hasNext.Value;

    /// <summary>Set when the upstream answered with a retryable status whose body was not copied to the client.</summary>
    public int? HeldBackStatus { get; set; }

    /// <summary>Set when a retryable status reaches the client because no model is left to try.</summary>
    public int? PassedThroughStatus { get; set; }
}

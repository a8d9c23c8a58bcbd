namespace Routescope.Gateway.Fallback;

/// <summary>
/// The attempt in flight, as a request feature: which model it targets and whether a retryable answer may be held
/// back for a next model. Owned by the attempt loop; the response transform writes <see cref="HeldBackStatus"/>.
/// </summary>
internal sealed class UpstreamAttempt(string model, bool hasNext)
{
    public string Model => model;

    public bool HasNext => hasNext;

    /// <summary>Set when the upstream answered with a retryable status whose body was not copied to the client.</summary>
    public int? HeldBackStatus { get; set; }

    /// <summary>Set when a retryable status reaches the client because no model is left to try.</summary>
    public int? PassedThroughStatus { get; set; }
}

namespace Routescope.Gateway.Gemini;

/// <summary>
/// One try of one model: which model, where it stands in the chain, how its body was adapted, what the upstream
/// answered and how the attempt ended. While it is in flight the transforms write the upstream's status and the
/// response gate a held-back status or the final failure; <see cref="Complete"/> records the one judgement of its end,
/// and the attempt loop then says whether it counts as the model's failure.
/// </summary>
internal sealed class UpstreamAttempt(string? model, int position, IReadOnlyList<string> adaptations)
{
    /// <summary>The model this attempt asks for; null only for the model list.</summary>
    public string? Model => model;

    /// <summary>Where the model stands in the request's chain (0 for the requested model).</summary>
    public int Position => position;

    /// <summary>Changes made to the body for this model, e.g. <c>aspectRatio 1:8->9:16</c>; empty when none.</summary>
    public IReadOnlyList<string> Adaptations => adaptations;

    /// <summary>The status the upstream answered with, when it answered.</summary>
    public int? UpstreamStatus { get; set; }

    /// <summary>Set when the upstream answered with a retryable status whose body was not copied to the client.</summary>
    public int? HeldBackStatus { get; set; }

    /// <summary>
    /// Whether the upstream was sent the whole request body: from then on it may do, and bill, the work even if its
    /// answer never arrives.
    /// </summary>
    public bool RequestDelivered { get; set; }

    public AttemptOutcome Outcome { get; private set; }

    /// <summary>
    /// What the forwarder reported, for the log: its error and the exception's type, never the exception's message (it
    /// can carry addresses); null when it reported nothing.
    /// </summary>
    public string? ForwarderReport { get; private set; }

    /// <summary>Why the chain counts this attempt as failed (<c>503</c>, <c>timeout</c>, <c>unreachable</c>); null when it did not.</summary>
    public string? Failure { get; set; }

    public void Complete(AttemptOutcome outcome, string? forwarderReport)
    {
        if (Outcome != AttemptOutcome.Pending)
        {
            throw new InvalidOperationException($"The attempt of {model} was already judged {Outcome}.");
        }

        Outcome = outcome;
        ForwarderReport = forwarderReport;
    }
}

namespace Routescope.Gateway.Usage;

/// <summary>How a request ended, as finance needs to know it.</summary>
internal static class UsageOutcome
{
    /// <summary>Answered in full with usage.</summary>
    public const string Complete = "complete";

    /// <summary>The upstream answer broke off before its end.</summary>
    public const string Truncated = "truncated";

    /// <summary>The client went away before the answer was delivered.</summary>
    public const string ClientAborted = "client_aborted";

    /// <summary>The upstream (or every model of the chain) answered with an error, or could not be reached.</summary>
    public const string UpstreamError = "upstream_error";

    /// <summary>
    /// An earlier attempt of a fallback chain that the upstream was sent in full and whose answer never came (a timeout
    /// before its headers, a connection that failed, a body that broke off before a byte reached the client): the
    /// upstream may bill the work, so the attempt is recorded at an estimate to match its invoice line.
    /// </summary>
    public const string Abandoned = "abandoned";

    /// <summary>
    /// The gateway was shutting down and its shutdown timeout ran out with the request in flight: the server cut it, and
    /// the upstream's usage is estimated for what it may bill.
    /// </summary>
    public const string Shutdown = "shutdown";

    /// <summary>
    /// The route's overall deadline (its <c>Timeout</c>) ran out with the client still there: before the answer started
    /// the client got a 504, after it the connection was cut. Estimated like an answer that broke off, since the
    /// upstream may bill the work it was sent.
    /// </summary>
    public const string DeadlineExceeded = "deadline_exceeded";

    /// <summary>Answered in full, but without usageMetadata.</summary>
    public const string NoUsage = "no_usage";
}

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
    /// The gateway gave up waiting for an answer the upstream had been sent in full (a timeout before its headers):
    /// the upstream may bill the work, so the attempt is recorded at an estimate to match its invoice line.
    /// </summary>
    public const string Abandoned = "abandoned";

    /// <summary>Answered in full, but without usageMetadata.</summary>
    public const string NoUsage = "no_usage";
}

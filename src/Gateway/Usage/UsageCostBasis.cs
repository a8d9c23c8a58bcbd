namespace Routescope.Gateway.Usage;

/// <summary>What a record's cost rests on (<c>cost_basis</c>): finance sums measured and estimated cost apart.</summary>
internal static class UsageCostBasis
{
    /// <summary>Usage as the upstream reported it, priced from the catalog.</summary>
    public const string Measured = "measured";

    /// <summary>
    /// Some tokens were not reported and come from the catalog: the upstream's answer never reached its end (the
    /// client left, the stream broke, the attempt was abandoned), or an image was returned without its tokens.
    /// </summary>
    public const string Estimated = "estimated";

    /// <summary>The served model is not in the catalog (<c>Billing:UnpricedModels=Record</c>): tokens as reported, cost empty.</summary>
    public const string Unpriced = "unpriced";

    /// <summary>The answer came in an encoding the gateway cannot read: the cost is an estimate from the request.</summary>
    public const string Unmetered = "unmetered";
}

namespace Routescope.Gateway.Billing;

/// <summary>What the gateway does with a model outside the catalog, whose price it does not know.</summary>
internal enum UnpricedModels
{
    /// <summary>Refuse it (404) before any upstream call: nothing is served at an unknown price.</summary>
    Refuse,

    /// <summary>Serve it and record its usage with the cost left empty and the basis <c>unpriced</c>, for finance to price.</summary>
    Record,
}

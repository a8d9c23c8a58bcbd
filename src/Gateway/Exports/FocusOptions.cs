namespace Routescope.Gateway.Exports;

/// <summary>
/// The <c>Billing:Focus</c> section: who bills whom in the FOCUS export. FOCUS 1.2 makes these columns mandatory and
/// never null, and nothing in a usage record names them, so they come from configuration.
/// </summary>
internal sealed class FocusOptions
{
    public const string SectionName = "Billing:Focus";

    /// <summary>The account the upstream invoices (FOCUS: unique within the provider).</summary>
    public string BillingAccountId { get; set; } = "routescope-gateway";

    public string BillingAccountName { get; set; } = "Routescope Gateway";

    /// <summary>Who sells the service: the upstream relay.</summary>
    public string ProviderName { get; set; } = "Routescope";

    /// <summary>
    /// Who sends the invoice. The official validator (rule BilledCost-C-005-C) expects a BilledCost of 0 on every row
    /// whose ProviderName differs from it, as for marketplace resales, so it should be the provider.
    /// </summary>
    public string InvoiceIssuerName { get; set; } = "Routescope";

    /// <summary>Who made the models, unless <see cref="ModelPublishers"/> names another for a model.</summary>
    public string PublisherName { get; set; } = "Google";

    /// <summary>Publisher per served model, for models not made by <see cref="PublisherName"/>.</summary>
    public Dictionary<string, string> ModelPublishers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The service's name; FOCUS gives every ServiceName exactly one ServiceCategory (here AI and Machine Learning).</summary>
    public string ServiceName { get; set; } = "Routescope Gemini API";

    public string Publisher(string model) => ModelPublishers.TryGetValue(model, out var publisher) ? publisher : PublisherName;

    /// <summary>The settings FOCUS forbids to be empty, by name, for the start's validation.</summary>
    public IEnumerable<(string Name, string? Value)> Required() =>
    [
        (nameof(BillingAccountId), BillingAccountId),
        (nameof(BillingAccountName), BillingAccountName),
        (nameof(ProviderName), ProviderName),
        (nameof(InvoiceIssuerName), InvoiceIssuerName),
        (nameof(PublisherName), PublisherName),
        (nameof(ServiceName), ServiceName),
        .. ModelPublishers.Select(publisher => ($"{nameof(ModelPublishers)}:{publisher.Key}", (string?)publisher.Value)),
    ];
}

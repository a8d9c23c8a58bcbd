namespace Routescope.Gateway.Exports;

/// <summary>
/// One FOCUS row: a record's (or a group's) charge for one <see cref="FocusChargeKind"/>. Its costs obey the FOCUS
/// product rules exactly: <see cref="PricingQuantity"/> × <see cref="ListUnitPrice"/> = <see cref="ListCost"/> and
/// × <see cref="ContractedUnitPrice"/> = <see cref="ContractedCost"/>.
/// </summary>
internal sealed record FocusCharge
{
    public required FocusChargeKind Kind { get; init; }
    public required string ServedModel { get; init; }

    /// <summary>The image size whose per-image price applied (<see cref="FocusChargeKind.Image"/> only).</summary>
    public string? ImageSize { get; init; }

    /// <summary>In <see cref="FocusCharges.MillionTokens"/> for token kinds (tokens ÷ 10^6), in images for the per-image kind.</summary>
    public required decimal PricingQuantity { get; init; }

    /// <summary>Tokens, or images for the per-image kind.</summary>
    public required long ConsumedQuantity { get; init; }

    /// <summary>The catalog's price per <see cref="FocusCharges.MillionTokens"/> or per image.</summary>
    public required decimal ListUnitPrice { get; init; }

    /// <summary>The list price × the channel ratio: what the relay charges per unit.</summary>
    public required decimal ContractedUnitPrice { get; init; }

    public required decimal ListCost { get; init; }
    public required decimal ContractedCost { get; init; }

    /// <summary>The kind's share of the record's upstream cost; the shares of a record sum to it exactly.</summary>
    public required decimal BilledCost { get; init; }

    /// <summary>The kind's share of the record's chargeback cost (× the group ratio); the shares sum to it exactly.</summary>
    public required decimal ChargebackCost { get; init; }

    public required decimal ChannelRatio { get; init; }
    public required decimal GroupRatio { get; init; }
    public required string Currency { get; init; }
    public required string CostBasis { get; init; }

    /// <summary><see cref="Usage.Periods.PeriodAttribution.Correction"/> for a record that arrived after its month closed; else empty.</summary>
    public required string ChargeClass { get; init; }

    /// <summary>The UTC month of the billing time (inclusive start).</summary>
    public required DateTimeOffset BillingPeriodStart { get; init; }

    /// <summary>Whole seconds, inside the billing period.</summary>
    public required DateTimeOffset ChargePeriodStart { get; init; }

    public required DateTimeOffset ChargePeriodEnd { get; init; }

    // Dimensions: all set on a per-record row; on a grouped row only those grouped by.
    public string? KeyId { get; init; }
    public string? KeyPrefix { get; init; }
    public string? KeyName { get; init; }
    public string? KeyGroup { get; init; }
    public string? RequestedModel { get; init; }
    public string? RequestId { get; init; }
    public string? RecordId { get; init; }
    public DateTimeOffset? UsageStart { get; init; }
    public DateTimeOffset? UsageEnd { get; init; }

    public DateTimeOffset BillingPeriodEnd => BillingPeriodStart.AddMonths(1);
}

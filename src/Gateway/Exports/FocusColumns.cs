using System.Collections.Immutable;
using System.Text.Json;

using Routescope.Gateway.Usage.Periods;

namespace Routescope.Gateway.Exports;

/// <summary>
/// The FOCUS 1.2 columns, FOCUS columns first (alphabetically) and the custom <c>x_</c> ones after them, as
/// attributes/column_handling.md asks. Dates are FOCUS date-times (whole seconds), quantities and unit prices exact
/// decimals, costs at the exports' fixed scale; an empty cell is a null.
/// </summary>
internal static class FocusColumns
{
    /// <summary>The provider's prefix of the gateway's own tag keys (columns/tags.md: provider-defined tags are prefixed).</summary>
    public const string TagPrefix = "gateway/";

    public const string ServiceCategory = "AI and Machine Learning";

    public const string ServiceSubcategory = "Generative AI";

    public static ImmutableArray<ExportColumn<FocusCharge>> For(FocusOptions options) =>
    [
        Column("BilledCost", ExportKind.Money, "The charge's share of the record's upstream_cost: what the relay invoices.", c => c.BilledCost),
        Column("BillingAccountId", ExportKind.Text, "Billing:Focus:BillingAccountId.", _ => options.BillingAccountId),
        Column("BillingAccountName", ExportKind.Text, "Billing:Focus:BillingAccountName.", _ => options.BillingAccountName),
        Column("BillingCurrency", ExportKind.Text, "The record's currency (ISO 4217).", c => c.Currency),
        Column("BillingPeriodEnd", ExportKind.Text, "The first instant of the next month (exclusive).", c => FocusTime.Format(c.BillingPeriodEnd)),
        Column("BillingPeriodStart", ExportKind.Text, "The UTC month of the record's billed_at.", c => FocusTime.Format(c.BillingPeriodStart)),
        Column("ChargeCategory", ExportKind.Text, "Usage.", _ => "Usage"),
        Column("ChargeClass", ExportKind.Text, "Correction for a record that arrived after its month closed; else null.", c => c.ChargeClass == PeriodAttribution.Correction ? "Correction" : null),
        Column("ChargeDescription", ExportKind.Text, "The kind and the model.", Description),
        Column("ChargeFrequency", ExportKind.Text, "Usage-Based.", _ => "Usage-Based"),
        Column("ChargePeriodEnd", ExportKind.Text, "Per record: ChargePeriodStart + 1 s; grouped: the group's period end (exclusive).", c => FocusTime.Format(c.ChargePeriodEnd)),
        Column("ChargePeriodStart", ExportKind.Text, "Per record: billed_at to the second; grouped: the group's period start.", c => FocusTime.Format(c.ChargePeriodStart)),
        Column("ConsumedQuantity", ExportKind.Integer, "Tokens, or images for the per-image kind.", c => c.ConsumedQuantity),
        Column("ConsumedUnit", ExportKind.Text, "Tokens or Images.", c => c.Kind == FocusChargeKind.Image ? FocusCharges.Images : FocusCharges.Tokens),
        Column("ContractedCost", ExportKind.Money, "PricingQuantity × ContractedUnitPrice.", c => c.ContractedCost),
        Column("ContractedUnitPrice", ExportKind.Decimal, "ListUnitPrice × the channel ratio.", c => c.ContractedUnitPrice),
        Column("EffectiveCost", ExportKind.Money, "BilledCost (no commitments or prepayments).", c => c.BilledCost),
        Column("InvoiceIssuerName", ExportKind.Text, "Billing:Focus:InvoiceIssuerName.", _ => options.InvoiceIssuerName),
        Column("ListCost", ExportKind.Money, "PricingQuantity × ListUnitPrice.", c => c.ListCost),
        Column("ListUnitPrice", ExportKind.Decimal, "The catalog's price per PricingUnit, as the record applied it.", c => c.ListUnitPrice),
        Column("PricingQuantity", ExportKind.Decimal, "Tokens ÷ 1,000,000, or images.", c => c.PricingQuantity),
        Column("PricingUnit", ExportKind.Text, "1000000 Tokens or Images.", c => c.Kind == FocusChargeKind.Image ? FocusCharges.Images : FocusCharges.MillionTokens),
        Column("ProviderName", ExportKind.Text, "Billing:Focus:ProviderName.", _ => options.ProviderName),
        Column("PublisherName", ExportKind.Text, "Billing:Focus:PublisherName, or the model's in Billing:Focus:ModelPublishers.", c => options.Publisher(c.ServedModel)),
        Column("ServiceCategory", ExportKind.Text, ServiceCategory + ".", _ => ServiceCategory),
        Column("ServiceName", ExportKind.Text, "Billing:Focus:ServiceName.", _ => options.ServiceName),
        Column("ServiceSubcategory", ExportKind.Text, ServiceSubcategory + ".", _ => ServiceSubcategory),
        Column("SkuId", ExportKind.Text, "model/kind.", SkuId),
        Column("SkuPriceId", ExportKind.Text, "model/kind, and /size for the per-image kind.", SkuPriceId),
        Column("Tags", ExportKind.Text, "JSON object: gateway/keyPrefix, gateway/keyName, gateway/keyGroup (those grouped by).", Tags),
        Column("x_ChargebackCost", ExportKind.Money, "The charge's share of the record's chargeback_cost: BilledCost × x_GroupRatio.", c => c.ChargebackCost),
        Column("x_GroupRatio", ExportKind.Decimal, "The key group's ratio.", c => c.GroupRatio),
        Column("x_CostBasis", ExportKind.Text, "measured, estimated or unmetered.", c => c.CostBasis),
        Column("x_RequestId", ExportKind.Text, "The request id (per record only).", c => c.RequestId),
        Column("x_RecordId", ExportKind.Text, "The record id (per record only).", c => c.RecordId),
        Column("x_KeyId", ExportKind.Text, "The key's id (per record, or grouped by key).", c => c.KeyId),
        Column("x_RequestedModel", ExportKind.Text, "The model asked for (per record, or grouped by requestedModel).", c => c.RequestedModel),
        Column("x_UsageStart", ExportKind.Text, "When the request started, to the second (per record only).", c => FocusTime.Format(c.UsageStart)),
        Column("x_UsageEnd", ExportKind.Text, "When the answer ended, to the next second (per record only): for a correction, in the closed month.", c => FocusTime.Format(c.UsageEnd)),
    ];

    public static string SkuId(FocusCharge charge) => charge.ServedModel + "/" + Kind(charge.Kind);

    public static string SkuPriceId(FocusCharge charge) =>
        charge.Kind == FocusChargeKind.Image ? SkuId(charge) + "/" + (charge.ImageSize ?? Catalog.ImageSizeTable.DefaultKey) : SkuId(charge);

    private static ExportColumn<FocusCharge> Column(string name, ExportKind kind, string description, Func<FocusCharge, object?> value) =>
        new(name, kind, description, value, name);

    private static string Kind(FocusChargeKind kind) => kind switch
    {
        FocusChargeKind.Input => "input",
        FocusChargeKind.CachedInput => "cached-input",
        FocusChargeKind.OutputText => "output-text",
        FocusChargeKind.Thinking => "thinking",
        FocusChargeKind.OutputImage => "output-image",
        _ => "image",
    };

    private static string Description(FocusCharge charge) => charge.Kind switch
    {
        FocusChargeKind.Input => "Input tokens (prompt and tool use) of ",
        FocusChargeKind.CachedInput => "Cached input tokens of ",
        FocusChargeKind.OutputText => "Output text tokens of ",
        FocusChargeKind.Thinking => "Thinking tokens (at the output text price) of ",
        FocusChargeKind.OutputImage => "Output image tokens of ",
        _ => $"Images ({charge.ImageSize ?? "default size"}) of ",
    } + charge.ServedModel;

    /// <summary>A flat JSON object of strings (attributes/key_value_format.md); never the key's secret, only what the admin API shows.</summary>
    private static string? Tags(FocusCharge charge)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (charge.KeyPrefix is { } prefix)
        {
            tags[TagPrefix + "keyPrefix"] = prefix;
        }

        if (charge.KeyName is { } name)
        {
            tags[TagPrefix + "keyName"] = name;
        }

        if (charge.KeyGroup is { } group)
        {
            tags[TagPrefix + "keyGroup"] = group;
        }

        return tags.Count == 0 ? null : JsonSerializer.Serialize(tags);
    }
}

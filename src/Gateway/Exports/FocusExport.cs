using System.Collections.Immutable;
using System.Text.Json;

using Routescope.Gateway.Usage;

namespace Routescope.Gateway.Exports;

/// <summary>FinOps FOCUS rows as CSV, one per record: what the relay bills as BilledCost, the team's share as x_ChargebackCost.</summary>
internal sealed class FocusExport : IUsageExportFormat
{
    private static readonly ImmutableArray<ExportColumn<UsageRecord>> Columns =
    [
        new("BilledCost", ExportKind.Money, "What the relay bills.", r => r.UpstreamCost, "BilledCost"),
        new("EffectiveCost", ExportKind.Money, "What the relay bills.", r => r.UpstreamCost, "EffectiveCost"),
        new("BillingCurrency", ExportKind.Text, "The billing currency.", r => r.Currency, "BillingCurrency"),
        new("ChargePeriodStart", ExportKind.Time, "When the request started.", r => r.StartedAt, "ChargePeriodStart"),
        new("ChargePeriodEnd", ExportKind.Time, "When the answer ended.", r => r.EndedAt, "ChargePeriodEnd"),
        new("SkuId", ExportKind.Text, "The served model.", r => r.ServedModel, "SkuId"),
        new("ConsumedQuantity", ExportKind.Integer, "Tokens.", r => r.TotalTokens, "ConsumedQuantity"),
        new("ConsumedUnit", ExportKind.Text, "Tokens.", r => "Tokens", "ConsumedUnit"),
        new("Tags", ExportKind.Text, "Key, key name and group.", r => JsonSerializer.Serialize(new Dictionary<string, string> { ["key"] = r.KeyPrefix, ["keyName"] = r.KeyName, ["group"] = r.KeyGroup }), "Tags"),
        new("x_ChargebackCost", ExportKind.Money, "What the team is charged.", r => r.ChargebackCost, "x_ChargebackCost"),
        new("x_CostBasis", ExportKind.Text, "What the cost rests on.", r => r.CostBasis, "x_CostBasis"),
    ];

    public UsageFormat Format => UsageFormat.Focus;

    public string ContentType => "text/csv; charset=utf-8";

    public string Extension => "csv";

    public Task WriteAsync(Stream output, ExportRequest request, CancellationToken cancellationToken) =>
        CsvExport.WriteAsync(output, Columns, request.Records, cancellationToken);
}

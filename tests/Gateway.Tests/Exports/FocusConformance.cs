using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Exports;

/// <summary>
/// Checks a FOCUS CSV against the FOCUS 1.2 requirements a file can show (columns/*.md and attributes/*.md of the
/// FinOps FOCUS_Spec at v1.2, as the foundation's requirements model 1.2.0.1 words them): every mandatory column
/// present, each value of its type and format, allowed values, null rules, the cost product rules, periods. An empty
/// CSV field is a null. Returns what it checked, for the closing note.
/// </summary>
public static partial class FocusConformance
{
    /// <summary>The columns FOCUS 1.2 makes mandatory without a condition ("MUST be present in a FOCUS dataset").</summary>
    public static readonly string[] Mandatory =
    [
        "BilledCost", "EffectiveCost", "ListCost", "ContractedCost", "BillingCurrency", "BillingAccountId", "BillingAccountName",
        "BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd", "ChargeCategory", "ChargeClass",
        "ChargeDescription", "PricingQuantity", "PricingUnit", "ProviderName", "PublisherName", "InvoiceIssuerName", "ServiceName",
        "ServiceCategory",
    ];

    /// <summary>The conditional and recommended FOCUS 1.2 columns the export may carry besides.</summary>
    private static readonly HashSet<string> OtherFocusColumns = new(StringComparer.Ordinal)
    {
        "ChargeFrequency", "ConsumedQuantity", "ConsumedUnit", "ContractedUnitPrice", "ListUnitPrice", "ServiceSubcategory", "SkuId", "SkuPriceId", "Tags",
    };

    private static readonly string[] DecimalColumns = ["BilledCost", "EffectiveCost", "ListCost", "ContractedCost", "PricingQuantity", "ListUnitPrice", "ContractedUnitPrice", "ConsumedQuantity"];
    private static readonly string[] MoneyColumns = ["BilledCost", "EffectiveCost", "ListCost", "ContractedCost", "x_ChargebackCost"];
    private static readonly string[] DateTimeColumns = ["BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd"];

    private static readonly string[] NotNull =
    [
        "BilledCost", "EffectiveCost", "ListCost", "ContractedCost", "BillingCurrency", "BillingAccountId", "BillingPeriodStart", "BillingPeriodEnd",
        "ChargePeriodStart", "ChargePeriodEnd", "ChargeCategory", "InvoiceIssuerName", "ProviderName", "PublisherName", "ServiceName", "ServiceCategory",
        "ChargeFrequency", "ServiceSubcategory",
        // Nullable in the spec, but the gateway names its accounts (BillingAccountName MUST NOT be null then) and describes every charge (SHOULD NOT).
        "BillingAccountName", "ChargeDescription",
    ];

    private static readonly HashSet<string> ChargeCategories = new(StringComparer.Ordinal) { "Usage", "Purchase", "Tax", "Credit", "Adjustment" };
    private static readonly HashSet<string> ChargeFrequencies = new(StringComparer.Ordinal) { "One-Time", "Recurring", "Usage-Based" };

    private static readonly HashSet<string> ServiceCategories = new(StringComparer.Ordinal)
    {
        "AI and Machine Learning", "Analytics", "Business Applications", "Compute", "Databases", "Developer Tools", "Multicloud", "Identity",
        "Integration", "Internet of Things", "Management and Governance", "Media", "Migration", "Mobile", "Networking", "Security", "Storage", "Web", "Other",
    };

    private static readonly HashSet<string> AiSubcategories = new(StringComparer.Ordinal)
    {
        "AI Platforms", "Bots", "Generative AI", "Machine Learning", "Natural Language Processing", "Other (AI and Machine Learning)",
    };

    /// <summary>Asserts every rule on <paramref name="csv"/>; returns the rows, parsed, and the number of checks made.</summary>
    public static (List<Dictionary<string, string>> Rows, int Checks) Check(string csv, string tagPrefix)
    {
        var (header, rows) = Parse(csv);
        var checks = 0;
        void Check(bool condition, string message)
        {
            Assert.True(condition, message);
            checks++;
        }

        foreach (var column in Mandatory)
        {
            Check(header.Contains(column), $"mandatory column {column} is missing");
        }

        Check(header.Distinct(StringComparer.Ordinal).Count() == header.Count, "a column is named twice");
        var firstCustom = header.FindIndex(h => h.StartsWith("x_", StringComparison.Ordinal));
        for (var i = 0; i < header.Count; i++)
        {
            var column = header[i];
            var custom = column.StartsWith("x_", StringComparison.Ordinal);
            Check(custom || Mandatory.Contains(column) || OtherFocusColumns.Contains(column), $"{column} is neither a FOCUS column nor prefixed x_");
            Check(!custom || PascalCase().IsMatch(column[2..]) && column.Length <= 50, $"custom column {column} is not x_ and Pascal case within 50 characters");
            Check(custom || firstCustom < 0 || i < firstCustom, $"FOCUS column {column} comes after a custom column");
        }

        var skuOfPrice = new Dictionary<string, string>(StringComparer.Ordinal);
        var categoryOfService = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            string? Value(string column) => row.TryGetValue(column, out var text) && text.Length > 0 ? text : null;
            var where = $"row {row.GetValueOrDefault("x_RecordId")} {row.GetValueOrDefault("SkuPriceId")}";

            foreach (var column in NotNull)
            {
                Check(Value(column) is not null, $"{column} is null in {where}");
            }

            // attributes/null_handling.md, string_handling.md: no empty or blank strings standing for a value.
            foreach (var (column, text) in row)
            {
                Check(text.Length == 0 || text.Trim().Length > 0, $"{column} is blank in {where}");
            }

            foreach (var column in DecimalColumns.Where(c => Value(c) is not null))
            {
                // attributes/numeric_format.md: a plain decimal, no + sign, no thousands separator, no unit; we write no exponent either.
                Check(DecimalNumber().IsMatch(Value(column)!), $"{column} '{Value(column)}' is not a decimal in {where}");
            }

            foreach (var column in MoneyColumns.Where(c => Value(c) is not null))
            {
                Check(Money().IsMatch(Value(column)!), $"{column} '{Value(column)}' is not at the fixed scale in {where}");
            }

            foreach (var column in DateTimeColumns)
            {
                Check(FocusDateTime().IsMatch(Value(column) ?? string.Empty), $"{column} '{Value(column)}' is not YYYY-MM-DDTHH:mm:ssZ in {where}");
            }

            Check(Currency().IsMatch(Value("BillingCurrency") ?? string.Empty), $"BillingCurrency '{Value("BillingCurrency")}' is not an ISO 4217 code");
            Check(ChargeCategories.Contains(Value("ChargeCategory") ?? string.Empty), $"ChargeCategory '{Value("ChargeCategory")}' is not allowed");
            Check(Value("ChargeClass") is null or "Correction", $"ChargeClass '{Value("ChargeClass")}' is not allowed");
            Check(ChargeFrequencies.Contains(Value("ChargeFrequency") ?? string.Empty), $"ChargeFrequency '{Value("ChargeFrequency")}' is not allowed");
            Check(!(Value("ChargeCategory") == "Purchase" && Value("ChargeFrequency") == "Usage-Based"), "a purchase is Usage-Based");
            Check(ServiceCategories.Contains(Value("ServiceCategory") ?? string.Empty), $"ServiceCategory '{Value("ServiceCategory")}' is not allowed");
            Check(Value("ServiceCategory") == "AI and Machine Learning", "ServiceCategory is not AI and Machine Learning");
            Check(AiSubcategories.Contains(Value("ServiceSubcategory") ?? string.Empty), $"ServiceSubcategory '{Value("ServiceSubcategory")}' is not a subcategory of AI and Machine Learning");

            // Usage rows that are not corrections: quantity, unit, unit prices and SKUs are all there.
            var usage = Value("ChargeCategory") == "Usage" && Value("ChargeClass") != "Correction";
            foreach (var column in new[] { "PricingQuantity", "PricingUnit", "ListUnitPrice", "ContractedUnitPrice", "SkuId", "SkuPriceId", "ConsumedQuantity", "ConsumedUnit" })
            {
                Check(!usage || Value(column) is not null, $"{column} is null on a usage row {where}");
            }

            Check((Value("PricingQuantity") is null) == (Value("PricingUnit") is null), $"PricingUnit and PricingQuantity are not null together in {where}");
            Check((Value("ConsumedQuantity") is null) == (Value("ConsumedUnit") is null), $"ConsumedUnit and ConsumedQuantity are not null together in {where}");
            foreach (var unit in new[] { Value("PricingUnit"), Value("ConsumedUnit") }.OfType<string>())
            {
                // attributes/unit_format.md: a capitalised plural count unit, any quantity a whole number.
                Check(Unit().IsMatch(unit), $"unit '{unit}' does not follow UnitFormat");
            }

            var quantity = Number(Value("PricingQuantity"));
            var listPrice = Number(Value("ListUnitPrice"));
            var contractedPrice = Number(Value("ContractedUnitPrice"));
            Check(listPrice is null or >= 0 && contractedPrice is null or >= 0, $"a unit price is negative in {where}");
            // columns/listcost.md, contractedcost.md: the product MUST match (no tolerance given, so exactly).
            Check(quantity is null || listPrice is null || quantity * listPrice == Number(Value("ListCost")),
                $"PricingQuantity {quantity} × ListUnitPrice {listPrice} ≠ ListCost {Value("ListCost")} in {where}");
            Check(quantity is null || contractedPrice is null || quantity * contractedPrice == Number(Value("ContractedCost")),
                $"PricingQuantity {quantity} × ContractedUnitPrice {contractedPrice} ≠ ContractedCost {Value("ContractedCost")} in {where}");
            // No commitment discounts or prepayments: what is billed is the effective cost.
            Check(Value("EffectiveCost") == Value("BilledCost"), $"EffectiveCost ≠ BilledCost in {where}");
            // Requirements model rule BilledCost-C-005-C: a provider other than the invoice issuer bills 0 (a marketplace).
            Check(Value("ProviderName") == Value("InvoiceIssuerName") || Number(Value("BilledCost")) == 0, $"ProviderName ≠ InvoiceIssuerName with a BilledCost in {where}");

            var billingStart = Time(Value("BillingPeriodStart"));
            var billingEnd = Time(Value("BillingPeriodEnd"));
            var chargeStart = Time(Value("ChargePeriodStart"));
            var chargeEnd = Time(Value("ChargePeriodEnd"));
            Check(billingStart is { Day: 1, Hour: 0, Minute: 0, Second: 0 } && billingEnd == billingStart.Value.AddMonths(1),
                $"the billing period {billingStart} – {billingEnd} is not a month with an exclusive end in {where}");
            Check(chargeStart < chargeEnd, $"the charge period {chargeStart} – {chargeEnd} is empty in {where}");
            Check(billingStart <= chargeStart && chargeEnd <= billingEnd, $"the charge period {chargeStart} – {chargeEnd} is outside the billing period in {where}");

            if (Value("Tags") is { } tags)
            {
                // attributes/key_value_format.md: a flat JSON object; columns/tags.md: provider-defined keys prefixed.
                using var json = JsonDocument.Parse(tags);
                Check(json.RootElement.ValueKind == JsonValueKind.Object, "Tags is not a JSON object");
                var keys = json.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
                Check(keys.Length == keys.Distinct(StringComparer.Ordinal).Count(), "a tag key is repeated");
                foreach (var property in json.RootElement.EnumerateObject())
                {
                    Check(property.Name.StartsWith(tagPrefix, StringComparison.Ordinal), $"tag key {property.Name} lacks the provider prefix {tagPrefix}");
                    Check(property.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array), $"tag {property.Name} is not a flat value");
                }
            }

            if (Value("SkuPriceId") is { } skuPrice)
            {
                // columns/skupriceid.md: one and only one parent SkuId.
                Check(skuOfPrice.TryAdd(skuPrice, Value("SkuId")!) || skuOfPrice[skuPrice] == Value("SkuId"), $"SkuPriceId {skuPrice} has two SkuIds");
            }

            // columns/servicename.md: one and only one ServiceCategory per ServiceName.
            Check(categoryOfService.TryAdd(Value("ServiceName")!, Value("ServiceCategory")!) || categoryOfService[Value("ServiceName")!] == Value("ServiceCategory"),
                "a ServiceName has two ServiceCategories");
        }

        return (rows, checks);
    }

    public static decimal Amount(Dictionary<string, string> row, string column) => decimal.Parse(row[column], NumberStyles.Number, CultureInfo.InvariantCulture);

    public static (List<string> Header, List<Dictionary<string, string>> Rows) Parse(string csv) => CsvRows.ParseWithHeader(csv);

    private static decimal? Number(string? text) => text is null ? null : decimal.Parse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    private static DateTime? Time(string? text) =>
        text is not null && DateTime.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : null;

    [GeneratedRegex(@"^-?\d+(\.\d+)?$")]
    private static partial Regex DecimalNumber();

    [GeneratedRegex(@"^-?\d+\.\d{10}$")]
    private static partial Regex Money();

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")]
    private static partial Regex FocusDateTime();

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex Currency();

    [GeneratedRegex("^([1-9][0-9]* )?[A-Z][a-z]+s$")]
    private static partial Regex Unit();

    [GeneratedRegex("^[A-Z][A-Za-z0-9]*$")]
    private static partial Regex PascalCase();
}

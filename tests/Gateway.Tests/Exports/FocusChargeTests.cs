using System.Text;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

using Routescope.Gateway.Exports;
using Routescope.Gateway.Tests.Storage;
using Routescope.Gateway.Usage;
using Routescope.Gateway.Usage.Periods;

namespace Routescope.Gateway.Tests.Exports;

/// <summary>How a record becomes FOCUS rows: one per kind with a quantity, summing exactly to the record's two costs.</summary>
public sealed class FocusChargeTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 30, 23, 59, 59, 400, TimeSpan.Zero);

    [Fact]
    public void A_records_charges_sum_exactly_to_its_upstream_and_chargeback_costs()
    {
        // Prices with three decimals, a channel ratio of 1.1, a group ratio of 0.8 and every kind of token.
        var record = Priced(StoreContractTests.Record("sum", "k1", "gpt-4o-mini", At, 0m) with
        {
            InputPerMillion = 0.15m,
            CachedInputPerMillion = 0.075m,
            OutputTextPerMillion = 0.6m,
            OutputImagePerMillion = null,
            PerImagePrice = null,
            PromptTokens = 1237,
            CachedContentTokens = 311,
            ToolUsePromptTokens = 45,
            OutputTextTokens = 977,
            ThoughtsTokens = 231,
            OutputImageTokens = 0,
            Images = 0,
        });

        var charges = FocusCharges.Of(record);

        Assert.Equal([FocusChargeKind.Input, FocusChargeKind.CachedInput, FocusChargeKind.OutputText, FocusChargeKind.Thinking], charges.Select(c => c.Kind));
        Assert.Equal(record.UpstreamCost, charges.Sum(c => c.BilledCost));
        Assert.Equal(record.ChargebackCost, charges.Sum(c => c.ChargebackCost));
        // Tool-use prompt tokens are input; cached ones are apart; thinking is at the text price.
        Assert.Equal((1237L - 311 + 45, 311L, 977L, 231L), (charges[0].ConsumedQuantity, charges[1].ConsumedQuantity, charges[2].ConsumedQuantity, charges[3].ConsumedQuantity));
        Assert.Equal(0.6m, charges[3].ListUnitPrice);
        Assert.All(charges, c =>
        {
            Assert.Equal(c.ConsumedQuantity / 1_000_000m, c.PricingQuantity);
            Assert.Equal(c.PricingQuantity * c.ListUnitPrice, c.ListCost);
            Assert.Equal(c.PricingQuantity * c.ContractedUnitPrice, c.ContractedCost);
            Assert.Equal(c.ListUnitPrice * 1.1m, c.ContractedUnitPrice);
            Assert.Equal(c.ContractedCost, c.BilledCost);
        });
    }

    [Fact]
    public void A_stored_cost_off_the_formula_still_sums_exactly_its_difference_on_the_largest_charge()
    {
        // A record kept before the two costs existed: upstream = chargeback ÷ 0.7, which decimal cannot hold exactly.
        var record = Priced(StoreContractTests.Record("legacy", "k1", "gemini-2.5-flash-image", At, 0m) with { PerImagePrice = null, GroupRatio = 0.7m });
        record = record with { ChargebackCost = 0.1m, UpstreamCost = 0.1m / 0.7m };

        var charges = FocusCharges.Of(record);

        Assert.Equal(record.UpstreamCost, charges.Sum(c => c.BilledCost));
        Assert.Equal(record.ChargebackCost, charges.Sum(c => c.ChargebackCost));
        var largest = charges.MaxBy(c => c.ContractedCost)!;
        Assert.All(charges.Where(c => c != largest), c => Assert.Equal(c.ContractedCost, c.BilledCost));
    }

    [Fact]
    public void A_per_image_model_charges_its_images_not_their_tokens_and_zero_quantities_are_no_charge()
    {
        var record = Priced(StoreContractTests.Record("img", "k1", "gemini-3-pro-image-preview", At, 0m) with
        {
            PerImagePrice = 0.24m,
            ImageSize = "4K",
            Images = 2,
            CachedContentTokens = 0,
            ThoughtsTokens = 0,
        });

        var charges = FocusCharges.Of(record);

        Assert.Equal([FocusChargeKind.Input, FocusChargeKind.OutputText, FocusChargeKind.Image], charges.Select(c => c.Kind));
        var images = charges[2];
        Assert.Equal((2m, 2L, 0.24m, "4K"), (images.PricingQuantity, images.ConsumedQuantity, images.ListUnitPrice, images.ImageSize));
        Assert.Equal(2 * 0.24m * 1.1m, images.BilledCost);
        Assert.Equal("gemini-3-pro-image-preview/image/4K", FocusColumns.SkuPriceId(images));
        Assert.Equal(record.UpstreamCost, charges.Sum(c => c.BilledCost));
    }

    [Fact]
    public void An_unpriced_record_has_no_focus_charge()
    {
        var record = StoreContractTests.Record("unpriced", "k1", "gemini-2.5-flash", At, 0m) with
        {
            InputPerMillion = null,
            OutputTextPerMillion = null,
            OutputImagePerMillion = null,
            PerImagePrice = null,
            UpstreamCost = null,
            ChargebackCost = null,
            CostBasis = UsageCostBasis.Unpriced,
        };

        Assert.Empty(FocusCharges.Of(record));
    }

    [Fact]
    public async Task A_correction_is_billed_in_the_open_month_and_the_file_still_conforms()
    {
        // Ended seconds before November ended, kept once it had closed: billed at December's first instant.
        var late = Priced(StoreContractTests.Record("late", "k1", "gemini-2.5-flash-image", At.AddSeconds(-5), 0m) with { PerImagePrice = null });
        late = PeriodAttribution.Attribute(late, new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal) { ["2026-11"] = At.AddDays(1) }, At.AddDays(2));
        var ordinary = Priced(StoreContractTests.Record("ordinary", "k1", "gemini-2.5-flash-image", At.AddDays(1).AddMilliseconds(250), 0m) with { PerImagePrice = null });
        ordinary = PeriodAttribution.Attribute(ordinary, new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal), At.AddDays(2));

        var csv = await ExportAsync(UsageGrouping.None, late, ordinary);
        var (rows, _) = FocusConformance.Check(csv, FocusColumns.TagPrefix);

        var corrections = rows.Where(r => r["x_RecordId"] == late.RecordId).ToArray();
        Assert.NotEmpty(corrections);
        Assert.All(corrections, r => Assert.Equal(
            ("Correction", "2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z", "2026-12-01T00:00:00Z", "2026-12-01T00:00:01Z", "2026-11-30T23:59:56Z"),
            (r["ChargeClass"], r["BillingPeriodStart"], r["BillingPeriodEnd"], r["ChargePeriodStart"], r["ChargePeriodEnd"], r["x_UsageEnd"])));
        Assert.All(rows.Where(r => r["x_RecordId"] == ordinary.RecordId), r => Assert.Equal(
            (string.Empty, "2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z", "2026-12-02T00:00:01Z", "2026-12-01T23:59:59Z", "2026-12-02T00:00:01Z"),
            (r["ChargeClass"], r["BillingPeriodStart"], r["ChargePeriodStart"], r["ChargePeriodEnd"], r["x_UsageStart"], r["x_UsageEnd"])));
    }

    [Fact]
    public async Task A_grouped_row_covers_its_groups_period_within_its_billing_month()
    {
        var november = Priced(StoreContractTests.Record("nov", "k1", "gemini-2.5-flash-image", At.AddSeconds(-5), 0m) with { PerImagePrice = null });
        var december = Priced(StoreContractTests.Record("dec", "k1", "gemini-2.5-flash-image", At.AddDays(1), 0m) with { PerImagePrice = null });

        var (rows, _) = FocusConformance.Check(await ExportAsync(UsageGrouping.Key, november, december), FocusColumns.TagPrefix);

        // The export's range spans both months; each row keeps to its own.
        Assert.Equal(
            ["2026-11-15T00:00:00Z 2026-12-01T00:00:00Z", "2026-12-01T00:00:00Z 2027-01-01T00:00:00Z"],
            rows.Select(r => r["ChargePeriodStart"] + " " + r["ChargePeriodEnd"]).Distinct().Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Equal(("k1", string.Empty), (r["x_KeyId"], r["x_RecordId"])));
    }

    [Fact]
    public void The_start_refuses_an_empty_focus_name()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Billing:Focus:BillingAccountId"] = " " }).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddUsageExports().BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<FocusOptions>>().Value);
        Assert.Contains("Billing:Focus", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The record with the costs its own prices give (channel ratio × group ratio as the record says).</summary>
    private static UsageRecord Priced(UsageRecord record)
    {
        var upstream = UsageRecordCosts.Upstream(record)!.Value;
        return record with { UpstreamCost = upstream, ChargebackCost = upstream * record.GroupRatio };
    }

    private static async Task<string> ExportAsync(UsageGrouping grouping, params UsageRecord[] records)
    {
        var query = new UsageQuery
        {
            From = new DateTimeOffset(2026, 11, 15, 0, 0, 0, TimeSpan.Zero),
            To = new DateTimeOffset(2027, 2, 1, 0, 0, 0, TimeSpan.Zero),
            Grouping = grouping,
            Format = UsageFormat.Focus,
        };
        var metadata = new ExportMetadata { From = query.From, To = query.To, GroupBy = "none", GeneratedAt = At, Watermark = At, Backlog = 0 };
        using var output = new MemoryStream();
        await new FocusExport(Options.Create(new FocusOptions())).WriteAsync(output, new ExportRequest(query, metadata, records.ToAsyncEnumerable()), CancellationToken.None);
        return Encoding.UTF8.GetString(output.ToArray());
    }
}

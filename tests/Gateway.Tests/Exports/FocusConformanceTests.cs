using System.Globalization;
using System.Net;
using System.Text;

using Routescope.Fake;
using Routescope.Gateway.Exports;
using Routescope.Gateway.Tests.Infrastructure;
using Routescope.Gateway.Usage;

using Xunit.Abstractions;

namespace Routescope.Gateway.Tests.Exports;

/// <summary>
/// The FOCUS export of a gateway that served a mix (a text model, token-priced and per-image-priced image models,
/// cached, tool-use and thinking tokens, a refusal, an estimate, an unpriced model; a plain key and one of a group with
/// ratio 0.8) checked against FOCUS 1.2, and its money against the fake upstream's ledger.
/// </summary>
public sealed class FocusConformanceTests(FocusFixture gateway, ITestOutputHelper output) : IClassFixture<FocusFixture>, IAsyncLifetime
{
    private const string Export = "/admin/usage/export?from=2000-01-01&to=2100-01-01&format=focus";

    private static readonly Dictionary<string, (decimal Input, decimal Cached, decimal Text, decimal Image)> Prices = new(StringComparer.Ordinal)
    {
        ["gemini-2.5-flash-image"] = (0.30m, 0.03m, 2.50m, 30m),
        ["gemini-3-pro-image-preview"] = (2.00m, 0.20m, 12.00m, 120m),
        ["gemini-3.1-flash-image-preview"] = (0.50m, 0.05m, 3.00m, 60m),
        ["gpt-4o-mini"] = (0.15m, 0.075m, 0.60m, 0m),
    };

    private readonly Dictionary<string, (CreatedKey Key, string Model, string? ImageSize)> _sent = new(StringComparer.Ordinal);
    private CreatedKey _plain = null!;
    private CreatedKey _discounted = null!;
    private IReadOnlyList<UsageRecord> _records = [];

    public async Task InitializeAsync()
    {
        _plain = await gateway.CreateKeyAsync("focus-plain");
        _discounted = await gateway.CreateKeyAsync("=focus \"team\"", "discounted");
        foreach (var key in new[] { _plain, _discounted })
        {
            await SendAsync(key, "gemini-2.5-flash-image", (FakeHeaders.CachedTokens, "300"), (FakeHeaders.ToolUseTokens, "45"), (FakeHeaders.ThoughtsTokens, "230"));
            await SendAsync(key, "gemini-3.1-flash-image-preview");
            await SendAsync(key, "gemini-3-pro-image-preview", imageSize: "4K");
            await SendAsync(key, "gemini-3-pro-image-preview", (FakeHeaders.CachedTokens, "120"));
            await SendAsync(key, "gpt-4o-mini", (FakeHeaders.CachedTokens, "64"));
            await SendAsync(key, "gemini-2.5-flash-image", (FakeHeaders.Refusal, FakeHeaders.Refusals.ImageSafety), (FakeHeaders.ThoughtsTokens, "80"));
            // Image tokens missing from the answer: the record estimates them from the catalog (1290, as the fake bills).
            await SendAsync(key, "gemini-2.5-flash-image", (FakeHeaders.UsageDetails, FakeHeaders.UsageDetailsValues.NoCandidatesDetails));
            await SendAsync(key, "gemini-2.5-flash");
        }

        _records = [.. (await gateway.RecordsAsync(_sent.Keys)).Where(r => _sent.ContainsKey(r.RequestId))];
        Assert.Equal(_sent.Count, _records.Count);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_focus_export_meets_every_mandatory_column_rule_of_focus_1_2()
    {
        var perRecord = await FocusAsync("none");
        var grouped = await FocusAsync("key,model,day");
        var monthly = await FocusAsync("group,month");

        var (rows, checks) = FocusConformance.Check(perRecord, FocusColumns.TagPrefix);
        var (groupedRows, groupedChecks) = FocusConformance.Check(grouped, FocusColumns.TagPrefix);
        var (monthlyRows, monthlyChecks) = FocusConformance.Check(monthly, FocusColumns.TagPrefix);

        var mine = rows.Where(r => _sent.ContainsKey(r["x_RequestId"])).ToArray();
        // Every kind of charge the mix has, each with its own unit.
        var kinds = mine.Select(r => r["SkuId"][(r["SkuId"].LastIndexOf('/') + 1)..]).ToHashSet(StringComparer.Ordinal);
        Assert.Superset(new HashSet<string>(["input", "cached-input", "output-text", "thinking", "output-image", "image"], StringComparer.Ordinal), kinds);
        Assert.Equal(6, kinds.Count);
        Assert.All(mine.Where(r => r["SkuId"].EndsWith("/image", StringComparison.Ordinal)), r => Assert.Equal(("Images", "Images"), (r["PricingUnit"], r["ConsumedUnit"])));
        Assert.All(mine.Where(r => !r["SkuId"].EndsWith("/image", StringComparison.Ordinal)), r => Assert.Equal(("1000000 Tokens", "Tokens"), (r["PricingUnit"], r["ConsumedUnit"])));
        Assert.Contains(mine, r => r["SkuPriceId"] == "gemini-3-pro-image-preview/image/4K" && r["ListUnitPrice"] == "0.24");
        Assert.Contains(mine, r => r["x_CostBasis"] == UsageCostBasis.Estimated);
        // A per-image model's image tokens are not charged; zero quantities are no charge.
        Assert.DoesNotContain(mine, r => r["SkuId"] == "gemini-3-pro-image-preview/output-image");
        Assert.All(mine, r => Assert.NotEqual(0m, FocusConformance.Amount(r, "ConsumedQuantity")));
        // The unpriced model has no FOCUS row (FOCUS allows no null or placeholder cost), the others all have theirs.
        Assert.DoesNotContain(mine, r => r["SkuId"].StartsWith("gemini-2.5-flash/", StringComparison.Ordinal));
        Assert.Equal(_records.Where(r => r.UpstreamCost is not null).Select(r => r.RecordId).Order(), mine.Select(r => r["x_RecordId"]).Distinct().Order());
        // Tags name the key and its group, never the key itself.
        Assert.Contains(mine, r => r["Tags"] == $$"""{"gateway/keyPrefix":"{{_discounted.Prefix}}","gateway/keyName":"=focus \u0022team\u0022","gateway/keyGroup":"discounted"}""");
        Assert.DoesNotContain(_discounted.Key, perRecord, StringComparison.Ordinal);
        Assert.DoesNotContain(_plain.Key, perRecord, StringComparison.Ordinal);

        var total = checks + groupedChecks + monthlyChecks;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"FOCUS 1.2 conformance: {FocusConformance.Mandatory.Length}/21 mandatory columns, {rows.Count} rows per charge (+ {groupedRows.Count} by key,model,day and {monthlyRows.Count} by group,month), {total} checks, all passed"));
    }

    [Fact]
    public async Task Billed_cost_equals_the_upstream_ledger_and_the_chargeback_is_it_times_the_group_ratio()
    {
        var (_, rows) = FocusConformance.Parse(await FocusAsync("none"));
        var priced = _records.Where(r => r.UpstreamCost is not null).ToArray();
        var byRecord = rows.Where(r => _sent.ContainsKey(r["x_RequestId"])).ToLookup(r => r["x_RecordId"], StringComparer.Ordinal);

        // Each record's rows sum, exactly, to its two costs; and its upstream cost is what the upstream billed.
        foreach (var record in priced)
        {
            var (key, model, size) = _sent[record.RequestId];
            var ledger = Cost(gateway.UpstreamLedger(record.RequestId).Single().Billed, model, size);
            Assert.Equal(ledger, record.UpstreamCost);
            Assert.Equal(ledger, byRecord[record.RecordId].Sum(r => FocusConformance.Amount(r, "BilledCost")));
            Assert.Equal(record.ChargebackCost, byRecord[record.RecordId].Sum(r => FocusConformance.Amount(r, "x_ChargebackCost")));
        }

        var lines = new List<string>();
        foreach (var (key, ratio) in new[] { (_plain, 1m), (_discounted, 0.8m) })
        {
            var invoice = _sent.Where(s => s.Value.Key == key && s.Value.Model != "gemini-2.5-flash")
                .Sum(s => Cost(gateway.UpstreamLedger(s.Key).Single().Billed, s.Value.Model, s.Value.ImageSize));
            var keyRows = rows.Where(r => r["x_KeyId"] == key.Id).ToArray();
            var billed = keyRows.Sum(r => FocusConformance.Amount(r, "BilledCost"));
            var chargeback = keyRows.Sum(r => FocusConformance.Amount(r, "x_ChargebackCost"));
            Assert.Equal(invoice, billed);
            Assert.Equal(invoice * ratio, chargeback);
            Assert.All(keyRows, r => Assert.Equal(FocusConformance.Amount(r, "BilledCost") * ratio, FocusConformance.Amount(r, "x_ChargebackCost")));
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{key.Prefix} (ratio {ratio}): ledger {invoice}, BilledCost {billed}, x_ChargebackCost {chargeback}"));
        }

        output.WriteLine("FOCUS against the upstream ledger: " + string.Join("; ", lines));
    }

    [Fact]
    public async Task A_grouped_focus_export_sums_the_charges_of_its_group_model_and_kind()
    {
        var (_, rows) = FocusConformance.Parse(await FocusAsync("none"));
        var (_, grouped) = FocusConformance.Parse(await FocusAsync("key,model"));
        var ours = new HashSet<string>([_plain.Id, _discounted.Id], StringComparer.Ordinal);

        var expected = rows.Where(r => ours.Contains(r["x_KeyId"])).GroupBy(r => (r["x_KeyId"], r["SkuPriceId"], r["x_CostBasis"]));
        var actual = grouped.Where(r => ours.Contains(r["x_KeyId"])).ToArray();
        Assert.Equal(expected.Count(), actual.Length);
        foreach (var group in expected)
        {
            var row = Assert.Single(actual, r => (r["x_KeyId"], r["SkuPriceId"], r["x_CostBasis"]) == group.Key);
            foreach (var column in new[] { "PricingQuantity", "ConsumedQuantity", "ListCost", "ContractedCost", "BilledCost", "x_ChargebackCost" })
            {
                Assert.Equal(group.Sum(r => FocusConformance.Amount(r, column)), FocusConformance.Amount(row, column));
            }

            Assert.Equal((string.Empty, string.Empty), (row["x_RequestId"], row["x_RecordId"]));
            Assert.Contains("\"gateway/keyGroup\"", row["Tags"], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Json_and_focus_carry_the_same_upstream_cost()
    {
        using var admin = gateway.AdminClient();
        using var json = System.Text.Json.JsonDocument.Parse(await admin.GetStringAsync(new Uri("/admin/usage/export?from=2000-01-01&to=2100-01-01&format=json&groupBy=key", UriKind.Relative)));
        var (_, focus) = FocusConformance.Parse(await FocusAsync("key,model"));

        var keyRow = json.RootElement.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("keyId").GetString() == _discounted.Id);
        var mine = focus.Where(r => r["x_KeyId"] == _discounted.Id).ToArray();
        Assert.Equal(decimal.Parse(keyRow.GetProperty("upstreamCost").GetString()!, CultureInfo.InvariantCulture), mine.Sum(r => FocusConformance.Amount(r, "BilledCost")));
        Assert.Equal(decimal.Parse(keyRow.GetProperty("chargebackCost").GetString()!, CultureInfo.InvariantCulture), mine.Sum(r => FocusConformance.Amount(r, "x_ChargebackCost")));
    }

    private async Task SendAsync(CreatedKey key, string model, params (string Name, string Value)[] headers) => await SendAsync(key, model, null, headers);

    private async Task SendAsync(CreatedKey key, string model, string? imageSize, params (string Name, string Value)[] headers)
    {
        var body = model is "gpt-4o-mini" or "gemini-2.5-flash"
            ? """{"contents":[{"parts":[{"text":"Writing a four-word poem on urban night rain."}]}]}"""
            : RequestBodies.Generate(imageSize: imageSize);
        using var request = GeminiRequests.Generate(key.Key, model, body);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await gateway.Client.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        _sent[GeminiRequests.RequestId(request)] = (key, model, imageSize);
    }

    private async Task<string> FocusAsync(string groupBy)
    {
        using var admin = gateway.AdminClient();
        using var response = await admin.GetAsync(new Uri($"{Export}&groupBy={groupBy}", UriKind.Relative));
        var body = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        return body;
    }

    /// <summary>
    /// What the upstream bills for a ledger line, at the published prices × the channel ratio 1.1: prompt less cached
    /// at input, cached at the cached rate, tool use at input, text and thinking at the text rate, and images at the
    /// per-image price for their size (gemini-3-pro-image-preview here) or their tokens at the image rate.
    /// </summary>
    private static decimal Cost(FakeBill bill, string model, string? imageSize)
    {
        var (input, cached, text, image) = Prices[model];
        var perImage = model == "gemini-3-pro-image-preview" ? FocusFixture.ProPerImage[imageSize ?? "1K"] : (decimal?)null;
        var tokens = ((bill.PromptTokens - bill.CachedContentTokens + bill.ToolUsePromptTokens) * input) + (bill.CachedContentTokens * cached)
            + ((bill.TextTokens + bill.ThoughtsTokens) * text) + (perImage is null ? bill.ImageTokens * image : 0);
        return ((tokens / 1_000_000m) + (bill.Images * (perImage ?? 0))) * 1.1m;
    }
}

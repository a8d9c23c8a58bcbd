using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

using Routescope.Fake;
using Routescope.Gateway.Tests.Infrastructure;
using Routescope.Gateway.Usage;

namespace Routescope.Gateway.Tests.Observability;

/// <summary>
/// Spend on dashboards: the money metrics a scrape shows after known requests add up to the usage records the store
/// kept (one count per record, fallbacks and abandoned attempts included), are labelled by model, group and outcome,
/// and never name a key.
/// </summary>
public sealed class MoneyMetricsTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Flash25 = "gemini-2.5-flash-image";
    private const string Flash31 = "gemini-3.1-flash-image-preview";
    private const string TextModel = "gpt-4o-mini";

    [Fact]
    public async Task Money_metrics_add_up_to_the_usage_records_and_name_no_key()
    {
        var group = "money-" + Guid.NewGuid().ToString("N")[..8];
        var spender = await gateway.CreateKeyAsync("money-spender", group);
        var refused = await gateway.CreateKeyAsync("money-refused", group);
        using var admin = gateway.AdminClient();
        (await admin.PatchAsync(new Uri("/admin/keys/" + refused.Id, UriKind.Relative),
            new StringContent("""{"allowedModels":["gemini-2.5-*"]}""", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        await SendAsync(GeminiRequests.Generate(spender.Key), HttpStatusCode.OK);
        await SendAsync(GeminiRequests.Generate(spender.Key, TextModel, """{"contents":[{"parts":[{"text":"four words of rain"}]}]}"""), HttpStatusCode.OK);

        // The preview answers 503 and the stable model serves: a fallback from one to the other.
        using (var failing = GeminiRequests.Generate(spender.Key, Flash31))
        {
            var id = GeminiRequests.RequestId(failing);
            gateway.Upstream.Script = r => r.Header("x-request-id") == id && r.Model == Flash31 ? new FakeScriptedResponse { StatusCode = 503 } : null;
            try
            {
                await SendAsync(failing, HttpStatusCode.OK);
            }
            finally
            {
                gateway.Upstream.Script = null;
            }
        }

        // The preview breaks off after its headers: the stable model serves, and the attempt the upstream had is a record of its own.
        using (var broken = GeminiRequests.Generate(spender.Key, Flash31))
        {
            broken.Headers.Add(FakeHeaders.BreakAfterBytes, "0");
            broken.Headers.Add(FakeHeaders.SteerModel, Flash31);
            await SendAsync(broken, HttpStatusCode.OK);
        }

        await SendAsync(GeminiRequests.Generate(refused.Key, Flash31), HttpStatusCode.Forbidden);

        var records = await RecordsOfGroupAsync(group, ownRecords: 4);
        var scrape = await PrometheusScrape.FetchAsync(gateway.Client);
        var ofGroup = ("group", group);

        Assert.Equal(records.Count, scrape.Sum("gateway_usage_records_total", ofGroup));
        foreach (var outcome in records.Select(r => r.GetProperty("outcome").GetString()!).Distinct())
        {
            Assert.Equal(records.Count(r => r.GetProperty("outcome").GetString() == outcome), scrape.Sum("gateway_usage_records_total", ofGroup, ("outcome", outcome)));
        }

        foreach (var (kind, count) in new (string, Func<JsonElement, long>)[]
        {
            ("input", r => Long(r, "promptTokens") - Long(r, "cachedContentTokens")),
            ("cached_input", r => Long(r, "cachedContentTokens")),
            ("tool_use", r => Long(r, "toolUsePromptTokens")),
            ("output_text", r => Long(r, "outputTextTokens")),
            ("thinking", r => Long(r, "thoughtsTokens")),
            ("output_image", r => Long(r, "outputImageTokens")),
        })
        {
            Assert.Equal(records.Sum(count), scrape.Sum("gateway_usage_tokens_total", ofGroup, ("kind", kind)));
        }

        Assert.True(records.Sum(r => Long(r, "outputImageTokens")) > 0 && records.Sum(r => Long(r, "outputTextTokens")) > 0, "the requests made image and text tokens");
        Assert.Equal(records.Sum(r => Long(r, "images")), scrape.Sum("gateway_usage_images_total", ofGroup));

        foreach (var basis in new[] { UsageCostBasis.Measured, UsageCostBasis.Estimated })
        {
            var upstream = records.Where(r => r.GetProperty("costBasis").GetString() == basis).Sum(r => Money(r, "upstreamCost"));
            var chargeback = records.Where(r => r.GetProperty("costBasis").GetString() == basis).Sum(r => Money(r, "chargebackCost"));
            Assert.Equal((double)upstream, scrape.Sum("gateway_usage_upstream_cost_total", ofGroup, ("cost_basis", basis), ("currency", "USD")), 9);
            Assert.Equal((double)chargeback, scrape.Sum("gateway_usage_chargeback_cost_total", ofGroup, ("cost_basis", basis), ("currency", "USD")), 9);
        }

        Assert.True(records.Sum(r => Money(r, "upstreamCost")) > 0, "the requests cost something");
        Assert.Contains(records, r => r.GetProperty("outcome").GetString() == UsageOutcome.Abandoned);
        Assert.True(scrape.Sum("gateway_usage_records_total", ofGroup, ("outcome", UsageOutcome.Abandoned)) >= 1);

        // Two requests fell back from the preview to the stable model; every other was served by the model asked for.
        var fellBack = records.Count(r => r.GetProperty("outcome").GetString() != UsageOutcome.Abandoned && r.GetProperty("fallbackChain").GetString() is { Length: > 0 });
        Assert.Equal(2, fellBack);
        Assert.True(scrape.Sum("gateway_fallbacks_total", ("from_model", Flash31), ("to_model", Flash25), ("outcome", UsageOutcome.Complete)) >= fellBack);

        Assert.Equal(1, scrape.Sum("gateway_policy_refused_total", ofGroup, ("reason", "model"), ("model", Flash31)));

        Assert.NotEmpty(scrape.Series("gateway_upstream_time_to_first_byte_seconds_count", ("model", Flash25)));
        Assert.NotEmpty(scrape.Series("gateway_upstream_duration_seconds_bucket", ("model", TextModel)));
        Assert.True(scrape.Sum("gateway_overhead_seconds_count", ("operation", "generateContent")) >= 4);
        var breakers = scrape.Series("gateway_circuit_breaker_state").ToArray();
        Assert.Contains(breakers, s => s.Label("model") == Flash25);
        Assert.Contains(breakers, s => s.Label("model") == Flash31);
        Assert.All(breakers, s => Assert.InRange(s.Value, 0, 2));

        var labelValues = scrape.Samples.SelectMany(s => s.Labels.Values).ToHashSet(StringComparer.Ordinal);
        foreach (var key in new[] { spender, refused })
        {
            Assert.DoesNotContain(key.Id, labelValues);
            Assert.DoesNotContain(key.Prefix, labelValues);
            Assert.DoesNotContain(key.Id, scrape.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(key.Key, scrape.Text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(labelValues, value => value.StartsWith("money-spender", StringComparison.Ordinal) || value.StartsWith("money-refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_model_outside_the_catalog_is_labelled_other_and_never_by_its_name()
    {
        var settings = gateway.ReplicaSettings("unpriced");
        settings["Billing:UnpricedModels"] = "Record";
        await using var replica = new GatewayFactory(settings);
        using var client = new HttpClient { BaseAddress = replica.Address };
        var key = await gateway.CreateKeyAsync("money-unpriced", replica: replica.Address);
        var made = "made-up-model-" + Guid.NewGuid().ToString("N")[..8];

        using (var response = await client.SendAsync(GeminiRequests.Generate(key.Key, made, """{"contents":[{"parts":[{"text":"hello"}]}]}""")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var scrape = await PrometheusScrape.FetchAsync(client);

        Assert.DoesNotContain(made, scrape.Text, StringComparison.Ordinal);
        Assert.True(scrape.Sum("gateway_usage_records_total", ("model", "other")) >= 1);
        Assert.True(scrape.Sum("gateway_usage_tokens_total", ("model", "other")) > 0);
        // Unpriced: tokens are counted, but no cost (never a 0 that would read as free).
        Assert.Empty(scrape.Series("gateway_usage_upstream_cost_total", ("model", "other")));
        Assert.DoesNotContain(scrape.Series("gateway_circuit_breaker_state"), s => s.Label("model") == "other");
    }

    private Task SendAsync(HttpRequestMessage request, HttpStatusCode expected) => GatewayCalls.SendExpectingAsync(gateway, request, expected);

    /// <summary>The store's records of the group, once its <paramref name="ownRecords"/> requests' records are all there.</summary>
    private async Task<IReadOnlyList<JsonElement>> RecordsOfGroupAsync(string group, int ownRecords)
    {
        using var admin = gateway.AdminClient();
        IReadOnlyList<JsonElement> records = [];
        await Eventually.TrueAsync(async () =>
        {
            var json = await admin.GetFromJsonAsync<JsonElement>("/admin/usage/export?from=2000-01-01&to=2100-01-01&groupBy=none&format=json");
            records = [.. json.GetProperty("rows").EnumerateArray().Where(r => r.GetProperty("keyGroup").GetString() == group).Select(r => r.Clone())];
            return records.Count(r => r.GetProperty("outcome").GetString() != UsageOutcome.Abandoned) >= ownRecords;
        });
        return records;
    }

    private static long Long(JsonElement record, string name) => record.GetProperty(name).GetInt64();

    private static decimal Money(JsonElement record, string name) =>
        record.GetProperty(name).GetString() is { Length: > 0 } amount ? decimal.Parse(amount, CultureInfo.InvariantCulture) : 0m;
}

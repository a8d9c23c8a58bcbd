using System.Globalization;
using System.Text.Json;

using Routescope.Gateway.Exports;
using Routescope.Gateway.Tests.Infrastructure;
using Routescope.Gateway.Tests.Storage;
using Routescope.Gateway.Tests.Usage;

namespace Routescope.Gateway.Tests.Exports;

/// <summary>
/// A gateway of its own with served traffic (two groups, ratios 1 and 0.8, image and text models) and records kept
/// directly in its store: across two months and midnight, in a second currency, and at a group ratio that changed.
/// </summary>
public class ExportReconciliationFixture : UsageFixture
{
    private static readonly DateTimeOffset October = new(2026, 10, 31, 23, 30, 0, TimeSpan.Zero);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var keys = new[] { await CreateKeyAsync("recon-a"), await CreateKeyAsync("recon-b", "discounted") };
        var ids = new List<string>();
        foreach (var (key, model, body) in new[]
        {
            (keys[0], "gemini-2.5-flash-image", RequestBodies.Generate(aspectRatio: "16:9")),
            (keys[0], "gemini-3-pro-image-preview", RequestBodies.Generate(imageSize: "4K")),
            (keys[1], "gemini-2.5-flash-image", RequestBodies.Generate()),
            (keys[1], "gemini-3.1-flash-image-preview", RequestBodies.Generate()),
            (keys[1], "gpt-4o-mini", """{"contents":[{"parts":[{"text":"Four words on rain."}]}]}"""),
            (keys[0], "gpt-4o-mini", """{"contents":[{"parts":[{"text":"Four words on snow."}]}]}"""),
        })
        {
            using var request = GeminiRequests.Generate(key.Key, model, body);
            using var response = await Client.SendAsync(request);
            ids.Add(GeminiRequests.RequestId(request));
        }

        await RecordsAsync(ids);
        await Store.WriteAsync(
        [
            StoreContractTests.Record("late-oct", "k-kept", "gemini-2.5-flash-image", October, 0.04m),
            StoreContractTests.Record("first-nov", "k-kept", "gemini-2.5-flash-image", October.AddMinutes(40), 0.08m),
            StoreContractTests.Record("mid-nov", "k-kept", "gemini-3-pro-image-preview", October.AddDays(15), 0.16m),
            // The group's ratio changed during the month: a row of its own, so each row applies one ratio.
            StoreContractTests.Record("new-ratio", "k-kept", "gemini-2.5-flash-image", October.AddDays(16), 0.25m) with { GroupRatio = 1.25m, ChargebackCost = 0.25m, UpstreamCost = 0.2m },
            StoreContractTests.Record("in-euros", "k-euro", "gemini-2.5-flash-image", October.AddDays(16), 0.32m) with { Currency = "EUR" },
        ], CancellationToken.None);
    }
}

/// <summary>
/// Every grouping of every format reconciles with the per-record rows regrouped by hand: each token kind, each count
/// and both costs, measured and estimated apart, exactly; the JSON export and the summary carry the CSV's figures;
/// currencies are never summed together.
/// </summary>
public sealed class ExportReconciliationTests(ExportReconciliationFixture gateway) : IClassFixture<ExportReconciliationFixture>
{
    private const string Range = "from=2026-10-01&to=2100-01-01";

    private static readonly string[] Dimensions = ["key", "group", "model", "requestedModel", "day", "month"];

    private static readonly string[] Summed =
    [
        "prompt_tokens", "cached_content_tokens", "tool_use_prompt_tokens", "candidates_tokens", "thoughts_tokens", "output_text_tokens",
        "output_image_tokens", "total_tokens", "images",
    ];

    private static readonly string[] Costs = ["upstream_cost", "chargeback_cost"];

    /// <summary>Every combination of the six dimensions (63), and none.</summary>
    public static TheoryData<string> Groupings()
    {
        var data = new TheoryData<string>();
        for (var mask = 1; mask < 1 << Dimensions.Length; mask++)
        {
            data.Add(string.Join(",", Dimensions.Where((_, i) => (mask & (1 << i)) != 0)));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Groupings))]
    public async Task Every_grouping_equals_the_records_regrouped_in_csv_json_and_the_summary(string groupBy)
    {
        var records = await CsvAsync("none");
        var grouped = await CsvAsync(groupBy);
        var expected = records.GroupBy(record => Dims(record, groupBy.Split(','))).ToDictionary(g => g.Key, g => g.ToArray());

        Assert.Equal(expected.Count, grouped.Count);
        foreach (var row in grouped)
        {
            var mine = expected[Dims(row, groupBy.Split(','), grouped: true)];
            foreach (var column in Summed)
            {
                Assert.Equal(mine.Sum(r => Long(r, column)), Long(row, column));
            }

            Assert.Equal(mine.Count(r => r["outcome"] != "abandoned"), Long(row, "requests"));
            Assert.Equal(mine.Count(r => r["charge_class"] == "correction"), Long(row, "corrections"));
            foreach (var cost in Costs)
            {
                var stem = cost[..cost.IndexOf('_', StringComparison.Ordinal)];
                Assert.Equal(mine.Sum(r => Money(r, cost)), Money(row, cost));
                Assert.Equal(mine.Where(r => r["cost_basis"] == "measured").Sum(r => Money(r, cost)), Money(row, stem + "_measured_cost"));
                Assert.Equal(mine.Where(r => r["cost_basis"] != "measured").Sum(r => Money(r, cost)), Money(row, stem + "_estimated_cost"));
            }

            // One currency and one pair of ratios per row: the team's share is the relay's charge times the row's ratio.
            Assert.Equal(Money(row, "upstream_cost") * decimal.Parse(row["group_ratio"], CultureInfo.InvariantCulture), Money(row, "chargeback_cost"));
            Assert.Single(mine.Select(r => r["currency"]).Distinct());
        }

        // The JSON export and the summary are the same rows, value for value (amounts as the same fixed-scale strings).
        using var json = JsonDocument.Parse(await GetAsync($"/admin/usage/export?{Range}&groupBy={groupBy}&format=json"));
        using var summary = JsonDocument.Parse(await GetAsync($"/admin/usage/summary?{Range}&groupBy={groupBy}"));
        AssertSameRows(grouped, json.RootElement.GetProperty("rows"));
        AssertSameRows(grouped, summary.RootElement.GetProperty("rows"));
        Assert.Equal(groupBy, json.RootElement.GetProperty("groupBy").GetString());
    }

    [Fact]
    public async Task Currencies_are_never_summed_together_and_the_summary_totals_each_apart()
    {
        var records = await CsvAsync("none");
        using var summary = JsonDocument.Parse(await GetAsync($"/admin/usage/summary?{Range}&groupBy=group"));

        var totals = summary.RootElement.GetProperty("totals").EnumerateArray().ToDictionary(t => t.GetProperty("currency").GetString()!);
        Assert.Equal(["EUR", "USD"], totals.Keys.Order(StringComparer.Ordinal));
        foreach (var (currency, total) in totals)
        {
            var mine = records.Where(r => r["currency"] == currency).ToArray();
            Assert.Equal(mine.Sum(r => Money(r, "upstream_cost")), JsonMoney(total, "upstreamCost"));
            Assert.Equal(mine.Sum(r => Money(r, "chargeback_cost")), JsonMoney(total, "chargebackCost"));
            Assert.Equal(mine.Count(r => r["outcome"] != "abandoned"), total.GetProperty("requests").GetInt64());
            // A total spans ratios: it names none.
            Assert.Equal(JsonValueKind.Null, total.GetProperty("groupRatio").ValueKind);
        }
    }

    [Fact]
    public async Task Grouped_rows_carry_their_period_and_a_changed_ratio_starts_a_row_of_its_own()
    {
        var byKeyMonth = await CsvAsync("key,month");
        var byDay = await CsvAsync("day");

        var kept = byKeyMonth.Where(r => r["key_id"] == "k-kept").ToArray();
        Assert.Equal([("2026-10", "0.8"), ("2026-11", "0.8"), ("2026-11", "1.25")], kept.Select(r => (r["month"], r["group_ratio"])).Order());
        Assert.All(kept.Where(r => r["month"] == "2026-11"), r => Assert.Equal(("2026-11-01T00:00:00.000Z", "2026-12-01T00:00:00.000Z"), (r["period_start"], r["period_end"])));
        // The export's range clips a period: October's row starts at from.
        Assert.Equal(("2026-10-01T00:00:00.000Z", "2026-11-01T00:00:00.000Z"), kept.Where(r => r["month"] == "2026-10").Select(r => (r["period_start"], r["period_end"])).Single());
        var midnight = byDay.Where(r => r["day"] is "2026-10-31" or "2026-11-01").ToArray();
        Assert.Equal(["2026-10-31T00:00:00.000Z", "2026-11-01T00:00:00.000Z"], midnight.Select(r => r["period_start"]).Distinct().Order(StringComparer.Ordinal));
        Assert.All(byDay, r => Assert.Equal(r["day"], r["period_start"][..10]));
        // A record belongs to the day its answer ended: the one ended 00:10 on 1 November is November's.
        Assert.Equal("2026-11", (await CsvAsync("none")).Single(r => r["request_id"] == "first-nov")["billed_at"][..7]);
    }

    /// <summary>The grouping dimensions of a per-record row (or of a grouped row's own columns), with its currency and ratios.</summary>
    private static string Dims(Dictionary<string, string> row, string[] groupBy, bool grouped = false)
    {
        string Of(string record, string aggregate) => row[grouped ? aggregate : record];
        var billed = grouped ? null : row["billed_at"];
        var parts = new List<string>
        {
            groupBy.Contains("key") || groupBy.Contains("group") ? Of("key_group", "key_group") : "",
            groupBy.Contains("key") ? Of("key_id", "key_id") : "",
            groupBy.Contains("model") ? Of("served_model", "model") : "",
            groupBy.Contains("requestedModel") ? Of("requested_model", "requested_model") : "",
            groupBy.Contains("day") ? (grouped ? row["day"] : billed![..10]) : groupBy.Contains("month") ? (grouped ? row["month"] : billed![..7]) : "",
            row["currency"], row["channel_ratio"], row["group_ratio"],
        };
        return string.Join("|", parts);
    }

    private static void AssertSameRows(List<Dictionary<string, string>> csv, JsonElement rows)
    {
        var json = rows.EnumerateArray().ToArray();
        Assert.Equal(csv.Count, json.Length);
        for (var i = 0; i < csv.Count; i++)
        {
            foreach (var column in AggregateColumns.All)
            {
                var value = json[i].GetProperty(column.JsonName);
                var text = value.ValueKind switch
                {
                    JsonValueKind.Null => string.Empty,
                    JsonValueKind.String => value.GetString()!,
                    _ => value.GetRawText(),
                };
                Assert.True(csv[i][column.CsvName] == text, $"row {i}, {column.CsvName}: csv '{csv[i][column.CsvName]}', json '{text}'");
                if (column.Kind is ExportKind.Money or ExportKind.Decimal)
                {
                    Assert.NotEqual(JsonValueKind.Number, value.ValueKind);
                }
            }
        }
    }

    private async Task<List<Dictionary<string, string>>> CsvAsync(string groupBy) => CsvRows.Parse(await GetAsync($"/admin/usage/export?{Range}&groupBy={groupBy}"));

    private async Task<string> GetAsync(string path)
    {
        using var admin = gateway.AdminClient();
        return await admin.GetStringAsync(new Uri(path, UriKind.Relative));
    }

    private static long Long(Dictionary<string, string> row, string column) => long.Parse(row[column], CultureInfo.InvariantCulture);

    /// <summary>An amount of an export: the fixed scale, or empty for a record without prices.</summary>
    private static decimal Money(Dictionary<string, string> row, string column)
    {
        var text = row[column];
        if (text.Length == 0)
        {
            return 0m;
        }

        Assert.Matches(@"^-?\d+\.\d{10}$", text);
        return decimal.Parse(text, CultureInfo.InvariantCulture);
    }

    private static decimal JsonMoney(JsonElement row, string property)
    {
        var text = row.GetProperty(property).GetString()!;
        Assert.Matches(@"^-?\d+\.\d{10}$", text);
        return decimal.Parse(text, CultureInfo.InvariantCulture);
    }
}

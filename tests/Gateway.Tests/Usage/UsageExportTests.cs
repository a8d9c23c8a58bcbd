using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

using Routescope.Gateway.Cli;
using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Usage;

public sealed class UsageExportTests(UsageFixture gateway) : IClassFixture<UsageFixture>, IAsyncLifetime
{
    private readonly List<string> _ids = [];
    private CreatedKey _key = null!;

    public async Task InitializeAsync()
    {
        _key = await gateway.CreateKeyAsync("=HYPERLINK(\"x\")", "discounted");
        foreach (var model in new[] { "gemini-2.5-flash-image", "gemini-3-pro-image-preview", "gemini-2.5-flash-image" })
        {
            using var request = GeminiRequests.Generate(_key.Key, model: model);
            using var response = await gateway.Client.SendAsync(request);
            _ids.Add(GeminiRequests.RequestId(request));
        }

        await gateway.RecordsAsync(_ids);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_per_request_csv_opens_in_a_spreadsheet_as_is()
    {
        using var admin = gateway.AdminClient();
        using var response = await admin.GetAsync(new Uri("/admin/usage/export?from=2000-01-01&to=2100-01-01", UriKind.Relative));
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("attachment", response.Content.Headers.ContentDisposition?.ToString() ?? string.Empty, StringComparison.Ordinal);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        // Finance's sheets and scripts key on these headers, in this order.
        Assert.Equal(
            "request_id,record_id,started_at,ended_at,key_id,key_prefix,key_name,key_group,operation,requested_model,served_model,"
            + "fallback_chain,channel,http_status,upstream_status,outcome,prompt_tokens,candidates_tokens,thoughts_tokens,cached_content_tokens,"
            + "tool_use_prompt_tokens,total_tokens,output_text_tokens,output_image_tokens,modality_details,images,finish_reasons,model_version,"
            + "response_id,image_size,aspect_ratio,latency_ms,time_to_first_byte_ms,bytes_in,bytes_out,input_per_million,cached_input_per_million,"
            + "output_text_per_million,output_image_per_million,per_image_price,channel_ratio,group_ratio,upstream_cost,chargeback_cost,cost_basis,flags,currency,reservation_id,"
            + "recorded_at,billed_at,charge_class",
            Encoding.UTF8.GetString(bytes[3..]).Split("\r\n")[0]);
        var rows = Parse(Encoding.UTF8.GetString(bytes[3..]));
        var mine = rows.Where(r => r["key_id"] == _key.Id).ToArray();
        Assert.Equal(3, mine.Length);
        Assert.All(mine, row =>
        {
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", row["started_at"]);
            Assert.Equal("0.8", row["group_ratio"]);
            Assert.Equal("1.1", row["channel_ratio"]);
            // Amounts at the one fixed scale; the team's share is the relay's charge times the group's ratio.
            Assert.Matches(@"^\d+\.\d{10}$", row["chargeback_cost"]);
            Assert.Matches(@"^\d+\.\d{10}$", row["upstream_cost"]);
            Assert.Equal(decimal.Parse(row["chargeback_cost"], CultureInfo.InvariantCulture), decimal.Parse(row["upstream_cost"], CultureInfo.InvariantCulture) * 0.8m);
            Assert.StartsWith("'=", row["key_name"], StringComparison.Ordinal); // no formula when opened
        });
        Assert.DoesNotContain(rows, r => r.Values.Any(v => v.Contains(_key.Key, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Grouped_exports_and_the_summary_add_up_to_the_rows()
    {
        using var admin = gateway.AdminClient();
        var rows = Parse(await admin.GetStringAsync(new Uri("/admin/usage/export?from=2000-01-01&to=2100-01-01&groupBy=none", UriKind.Relative)))
            .Where(r => r["key_id"] == _key.Id).ToArray();
        var byModel = Parse(await admin.GetStringAsync(new Uri("/admin/usage/export?from=2000-01-01&to=2100-01-01&groupBy=key,model,day", UriKind.Relative)))
            .Where(r => r["key_id"] == _key.Id).ToArray();
        using var summary = JsonDocument.Parse(await admin.GetStringAsync(new Uri("/admin/usage/summary?from=2000-01-01&to=2100-01-01&groupBy=key", UriKind.Relative)));

        Assert.Equal(2, byModel.Length);
        Assert.Equal("2", byModel.Single(r => r["model"] == "gemini-2.5-flash-image")["requests"]);
        Assert.Equal(Sum(rows, "chargeback_cost"), Sum(byModel, "chargeback_cost"));
        Assert.Equal(Sum(rows, "total_tokens"), Sum(byModel, "total_tokens"));
        var keyRow = summary.RootElement.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("keyId").GetString() == _key.Id);
        Assert.Equal(Sum(rows, "chargeback_cost"), Money(keyRow, "chargebackCost"));
        Assert.Equal(Sum(rows, "upstream_cost"), Money(keyRow, "upstreamCost"));
        Assert.Equal(3, keyRow.GetProperty("requests").GetInt64());
    }

    [Fact]
    public async Task Json_carries_the_upstream_cost_as_measured()
    {
        // The FOCUS half of this test moved to Exports/FocusConformanceTests.
        using var admin = gateway.AdminClient();
        using var json = JsonDocument.Parse(await admin.GetStringAsync(new Uri("/admin/usage/export?from=2000-01-01&to=2100-01-01&format=json&groupBy=key", UriKind.Relative)));

        var measured = json.RootElement.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("keyId").GetString() == _key.Id);
        var keyCost = Money(measured, "upstreamCost");
        Assert.True(keyCost > 0);
        Assert.Equal(("measured", keyCost, 0m), (measured.GetProperty("costBasis").GetString(), Money(measured, "upstreamMeasuredCost"), Money(measured, "upstreamEstimatedCost")));
    }

    [Theory]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2001-13-01", "to")]
    [InlineData("from=2026-02-01&to=2026-01-01", "to")]
    [InlineData("groupBy=bogus", "groupBy")]
    [InlineData("groupBy=key,key", "groupBy")]
    [InlineData("format=pdf", "format")]
    public async Task Bad_parameters_are_400s_naming_them(string query, string parameter)
    {
        using var admin = gateway.AdminClient();
        using var response = await admin.GetAsync(new Uri("/admin/usage/export?" + query, UriKind.Relative));

        Assert.StartsWith(parameter + ":", await GeminiErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, "INVALID_ARGUMENT"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Usage_needs_the_admin_token()
    {
        using var response = await gateway.Client.GetAsync(new Uri("/admin/usage/summary", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task The_cli_exports_the_same_file()
    {
        var file = Path.Combine(gateway.DataDirectory, "usage.csv");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await GatewayCli.RunAsync(gateway.Factory.Services,
            ["usage", "export", "--from", "2000-01-01", "--to", "2100-01-01", "--group-by", "key,model", "--format", "csv", "--out", file], output, error, CancellationToken.None);

        Assert.Equal(0, exit);
        var rows = Parse(await File.ReadAllTextAsync(file)).Where(r => r["key_id"] == _key.Id).ToArray();
        Assert.Equal(2, rows.Length);
        using var admin = gateway.AdminClient();
        var api = Parse(await admin.GetStringAsync(new Uri("/admin/usage/export?from=2000-01-01&to=2100-01-01&groupBy=key,model", UriKind.Relative)))
            .Where(r => r["key_id"] == _key.Id).ToArray();
        Assert.Equal(Sum(api, "chargeback_cost"), Sum(rows, "chargeback_cost"));
    }

    /// <summary>An amount as JSON exports write it: a string at the fixed scale, never a JSON number.</summary>
    private static decimal Money(JsonElement row, string property)
    {
        var text = row.GetProperty(property).GetString()!;
        Assert.Matches(@"^-?\d+\.\d{10}$", text);
        return decimal.Parse(text, CultureInfo.InvariantCulture);
    }

    private static decimal Sum(IEnumerable<Dictionary<string, string>> rows, string column) =>
        rows.Sum(r => decimal.Parse(r[column], CultureInfo.InvariantCulture));

    private static List<Dictionary<string, string>> Parse(string csv) => CsvRows.Parse(csv);
}

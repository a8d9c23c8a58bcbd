using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

using Microsoft.Extensions.DependencyInjection;

using Routescope.Gateway.Exports;
using Routescope.Gateway.Tests.Infrastructure;
using Routescope.Gateway.Tests.Storage;
using Routescope.Gateway.Usage;
using Routescope.Gateway.Usage.Periods;

namespace Routescope.Gateway.Tests.Periods;

/// <summary>
/// A month closes once nothing of it waits, its totals never change afterwards, and a record of it arriving late lands
/// as a correction in the next open month; while records wait, exports say they are complete only up to them.
/// </summary>
public abstract class ClosedPeriodTests(PeriodFixture gateway) : IAsyncLifetime
{
    private const string Model = "gemini-2.5-flash-image";

    public Task InitializeAsync() => gateway.InitializeAsync();

    public Task DisposeAsync() => gateway.DisposeAsync();

    [Fact]
    public async Task A_late_spill_into_a_closed_month_lands_as_a_correction_in_the_next_open_month_and_the_closed_totals_stay()
    {
        var now = DateTimeOffset.UtcNow;
        var month = BillingMonth.Start(now).AddMonths(-2);
        var open = BillingMonth.Start(now);
        var period = BillingMonth.Of(month);
        await gateway.Store.WriteAsync(
            [StoreContractTests.Record("on-time-1", "k1", Model, month.AddDays(3), 0.25m), StoreContractTests.Record("on-time-2", "k2", Model, month.AddDays(20), 0.5m)],
            CancellationToken.None);

        using var admin = gateway.AdminClient();
        using var closed = await PeriodAsync(admin, period);
        var closedTotals = closed.RootElement.GetProperty("totals").GetRawText();
        Assert.Equal("closed", closed.RootElement.GetProperty("status").GetString());
        Assert.True(closed.RootElement.GetProperty("closed").GetBoolean());
        var total = Assert.Single(closed.RootElement.GetProperty("totals").EnumerateArray());
        Assert.Equal(2, total.GetProperty("requests").GetInt64());
        Assert.Equal("0.7500000000", total.GetProperty("chargebackCost").GetString());
        Assert.Equal(0, total.GetProperty("corrections").GetInt64());
        var exportedBefore = await SummaryTotalsAsync(admin, month, month.AddMonths(1));

        // The late record: left in an old spill file, as a gateway that was down since that month brings it back.
        await gateway.Factory.DisposeAsync();
        var late = StoreContractTests.Record("late", "k1", Model, month.AddDays(10), 1m);
        await File.WriteAllTextAsync(Path.Combine(gateway.DataDirectory, "usage-spill.jsonl"),
            JsonSerializer.Serialize(late, UsageJsonContext.Default.UsageRecord) + "\n", new UTF8Encoding(false));
        await using var next = new GatewayFactory(PeriodFixture.WithPeriods(gateway.StoreSettings()));
        next.StartServer();
        var kept = await StoredAsync(next.Services.GetRequiredService<IUsageStore>(), late.RecordId);

        Assert.Equal(PeriodAttribution.Correction, kept.ChargeClass);
        Assert.Equal(open, kept.BilledAt);
        Assert.Equal(late.EndedAt, kept.EndedAt);
        using var nextAdmin = gateway.AdminClient(next.Address);
        using var after = await PeriodAsync(nextAdmin, period);
        Assert.Equal("closed", after.RootElement.GetProperty("status").GetString());
        Assert.Equal(closed.RootElement.GetProperty("closedAt").GetString(), after.RootElement.GetProperty("closedAt").GetString());
        Assert.Equal(closedTotals, after.RootElement.GetProperty("totals").GetRawText());
        Assert.Equal(exportedBefore, await SummaryTotalsAsync(nextAdmin, month, month.AddMonths(1)));

        // Where it landed: the first month still open, counted as a correction at its first instant.
        var landed = JsonDocument.Parse(await SummaryTotalsAsync(nextAdmin, open, open.AddMonths(1))).RootElement;
        var correction = Assert.Single(landed.EnumerateArray());
        Assert.Equal(1, correction.GetProperty("corrections").GetInt64());
        Assert.Equal("1.0000000000", correction.GetProperty("chargebackCost").GetString());
        var csv = await nextAdmin.GetStringAsync(new Uri($"/admin/usage/export?from={Day(open)}&to={Day(open.AddMonths(1))}&groupBy=none&format=csv", UriKind.Relative));
        var row = Assert.Single(csv.Split("\r\n"), line => line.StartsWith("late,", StringComparison.Ordinal));
        Assert.EndsWith($",{open.UtcDateTime.ToString(ExportText.TimeFormat, CultureInfo.InvariantCulture)},correction", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task While_a_record_waits_for_the_store_the_export_is_complete_only_up_to_it_and_counts_it()
    {
        var key = await gateway.CreateKeyAsync("waiting");
        gateway.Store.Failing = true;
        string id;
        using (var request = GeminiRequests.Generate(key.Key, model: Model))
        {
            using var answered = await gateway.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
            id = GeminiRequests.RequestId(request);
        }

        using var admin = gateway.AdminClient();
        var from = Day(DateTimeOffset.UtcNow.AddDays(-1));
        using var waiting = await admin.GetAsync(new Uri($"/admin/usage/export?from={from}&format=json", UriKind.Relative));
        using var waitingJson = JsonDocument.Parse(await waiting.Content.ReadAsStringAsync());

        gateway.Store.Failing = false;
        var stored = Assert.Single(await gateway.RecordsAsync([id]), record => record.RequestId == id);
        Assert.True(long.Parse(Header(waiting, UsageEndpoints.BacklogHeader), CultureInfo.InvariantCulture) >= 1);
        var watermark = DateTimeOffset.Parse(waitingJson.RootElement.GetProperty("watermark").GetString()!, CultureInfo.InvariantCulture);
        Assert.True(watermark <= stored.EndedAt, $"watermark {watermark:O} is after the waiting record's end {stored.EndedAt:O}");
        Assert.True(DateTimeOffset.Parse(Header(waiting, UsageEndpoints.WatermarkHeader), CultureInfo.InvariantCulture) <= stored.EndedAt);
        Assert.False(waitingJson.RootElement.GetProperty("complete").GetBoolean());
        Assert.True(waitingJson.RootElement.GetProperty("backlog").GetInt64() >= 1);

        // Once the store has it, a range that ends after it is complete, and nothing waits.
        var to = stored.EndedAt.AddSeconds(1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        await Eventually.TrueAsync(async () =>
        {
            using var done = await admin.GetAsync(new Uri($"/admin/usage/export?from={from}&to={to}&format=json", UriKind.Relative));
            using var json = JsonDocument.Parse(await done.Content.ReadAsStringAsync());
            return json.RootElement.GetProperty("complete").GetBoolean() && json.RootElement.GetProperty("backlog").GetInt64() == 0 && Header(done, UsageEndpoints.BacklogHeader) == "0";
        });
    }

    [Fact]
    public async Task A_bad_month_is_refused_naming_the_parameter()
    {
        using var admin = gateway.AdminClient();
        using var response = await admin.GetAsync(new Uri("/admin/usage/periods/2026-13", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("period", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_current_month_is_open_and_a_past_one_with_nothing_waiting_closes_when_asked()
    {
        using var admin = gateway.AdminClient();
        var now = DateTimeOffset.UtcNow;
        using var current = await PeriodAsync(admin, BillingMonth.Of(now));
        using var past = await PeriodAsync(admin, BillingMonth.Of(BillingMonth.Start(now).AddMonths(-1)));

        Assert.Equal("open", current.RootElement.GetProperty("status").GetString());
        Assert.False(current.RootElement.GetProperty("closed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, current.RootElement.GetProperty("closedAt").ValueKind);
        Assert.Equal("closed", past.RootElement.GetProperty("status").GetString());
        Assert.Equal(0, past.RootElement.GetProperty("backlog").GetInt64());
    }

    private static string Day(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Header(HttpResponseMessage response, string name) => string.Join(",", response.Headers.GetValues(name));

    private static async Task<JsonDocument> PeriodAsync(HttpClient admin, string period)
    {
        using var response = await admin.GetAsync(new Uri("/admin/usage/periods/" + period, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body);
    }

    private static async Task<string> SummaryTotalsAsync(HttpClient admin, DateTimeOffset from, DateTimeOffset to)
    {
        using var json = JsonDocument.Parse(await admin.GetStringAsync(new Uri($"/admin/usage/summary?from={Day(from)}&to={Day(to)}&groupBy=month", UriKind.Relative)));
        return json.RootElement.GetProperty("totals").GetRawText();
    }

    private static async Task<UsageRecord> StoredAsync(IUsageStore store, string recordId)
    {
        for (var attempt = 0; ; attempt++)
        {
            await foreach (var record in store.ReadAsync(DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow.AddYears(1), CancellationToken.None))
            {
                if (record.RecordId == recordId)
                {
                    return record;
                }
            }

            Assert.True(attempt < 200, recordId + " never reached the store");
            await Task.Delay(50);
        }
    }
}

public sealed class SqliteClosedPeriodTests() : ClosedPeriodTests(new PeriodFixture());

public sealed class PostgresClosedPeriodTests() : ClosedPeriodTests(new PostgresPeriodFixture());

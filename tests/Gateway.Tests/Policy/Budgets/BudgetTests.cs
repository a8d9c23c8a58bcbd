using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using CsvHelper;

using Routescope.Fake;
using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Policy.Budgets;

/// <summary>
/// A key's monthly budget as clients meet it: each request reserves its most before it is forwarded, the record
/// settles it to the actual cost, and the request that would take the month past the budget gets 429.
/// </summary>
public sealed class BudgetTests(BudgetFixture gateway) : IClassFixture<BudgetFixture>
{
    // A small text cap keeps the estimate close to the actual cost (an image and a few tokens), so a budget of a few
    // estimates is crossed after a known number of requests.
    private const string CappedBody = """{"contents":[{"role":"user","parts":[{"text":"A lighthouse at dusk"}]}],"generationConfig":{"responseModalities":["IMAGE"],"maxOutputTokens":64}}""";

    [Fact]
    public async Task A_request_reserves_its_most_and_its_record_settles_the_month_to_its_cost()
    {
        var group = "spend-" + Guid.NewGuid().ToString("N")[..8];
        var key = await KeyWithBudgetAsync("settle", 1000m, group);

        var (estimate, cost) = await MeasureAsync(key);

        var spend = await SpendAsync(key.Id);
        Assert.True(estimate >= cost && cost > 0, $"estimate {estimate}, cost {cost}");
        Assert.Equal((cost, 0m, 1000m), (spend.Spent, spend.Reserved, spend.Budget));
        // The group's month is its keys' months summed (a group's budget is its keys' default, not a cap: null).
        using var admin = gateway.AdminClient();
        using var shown = JsonDocument.Parse(await admin.GetStringAsync(new Uri($"/admin/groups/{group}", UriKind.Relative)));
        var groupSpend = shown.RootElement.GetProperty("spend");
        Assert.Equal((cost, 0m, JsonValueKind.Null), (groupSpend.GetProperty("spentUsd").GetDecimal(), groupSpend.GetProperty("reservedUsd").GetDecimal(), groupSpend.GetProperty("budgetUsd").ValueKind));
        // The group list carries each group's month too, in the same shape.
        using var list = JsonDocument.Parse(await admin.GetStringAsync(new Uri("/admin/groups", UriKind.Relative)));
        var listed = list.RootElement.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("name").GetString() == group);
        Assert.Equal(groupSpend.GetRawText(), listed.GetProperty("spend").GetRawText());
    }

    [Fact]
    public async Task A_group_that_spent_nothing_this_month_is_listed_with_a_zero_spend()
    {
        var group = "idle-" + Guid.NewGuid().ToString("N")[..8];
        await gateway.CreateKeyAsync("idle", group);
        using var admin = gateway.AdminClient();

        using var list = JsonDocument.Parse(await admin.GetStringAsync(new Uri("/admin/groups", UriKind.Relative)));

        var spend = list.RootElement.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("name").GetString() == group).GetProperty("spend");
        Assert.Equal(DateTimeOffset.UtcNow.ToString("yyyy-MM", CultureInfo.InvariantCulture), spend.GetProperty("month").GetString());
        Assert.Equal((0m, 0m, JsonValueKind.Null), (spend.GetProperty("spentUsd").GetDecimal(), spend.GetProperty("reservedUsd").GetDecimal(), spend.GetProperty("budgetUsd").ValueKind));
    }

    [Fact]
    public async Task The_request_that_would_cross_the_budget_is_refused_while_the_one_before_passes_and_the_webhook_hears_once_of_each()
    {
        var key = await KeyWithBudgetAsync("cap", 1000m);
        var (estimate, cost) = await MeasureAsync(key);
        // Room for two more requests and half an estimate: the second fits (2 costs + 1 estimate), the third does not.
        var budget = cost + (2 * estimate) + (estimate / 2);
        await PatchAsync(key.Id, new { monthlyBudgetUsd = budget, softBudgetRatio = 0.2m });

        using var second = await SendAsync(key.Key);
        await SettledAsync(key.Id, 2 * cost);
        using var third = await SendAsync(key.Key);
        await SettledAsync(key.Id, 3 * cost);
        using var crossing = GeminiRequests.Generate(key.Key, body: CappedBody);
        using var refused = await gateway.Client.SendAsync(crossing);
        using var again = await SendAsync(key.Key);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (second.StatusCode, third.StatusCode));
        var message = await GeminiErrorAssert.IsErrorAsync(refused, HttpStatusCode.TooManyRequests, "RESOURCE_EXHAUSTED");
        Assert.StartsWith(string.Create(CultureInfo.InvariantCulture, $"Monthly budget of ${budget:0.00} for this API key reached in "), message, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"${3 * cost:0.00} spent and $0.00 reserved"), message, StringComparison.Ordinal);
        Assert.True(int.Parse(refused.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture) > 0);
        Assert.Empty(gateway.UpstreamReceived(GeminiRequests.RequestId(crossing)));
        Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
        Assert.Equal(3 * cost, (await SpendAsync(key.Id)).Spent);

        // The soft line (20 %) was passed at the second and third requests, the hard stop hit twice: one notice each.
        await Eventually.TrueAsync(() => Notices(key.Id).Length == 2, TimeSpan.FromSeconds(10));
        await Task.Delay(300);
        var notices = Notices(key.Id);
        Assert.Equal(["hard", "soft"], notices.Select(n => n.GetProperty("kind").GetString()).Order(StringComparer.Ordinal));
        var soft = notices.Single(n => n.GetProperty("kind").GetString() == "soft");
        var hard = notices.Single(n => n.GetProperty("kind").GetString() == "hard");
        Assert.Equal((budget, cost, 0.2m), (soft.GetProperty("budgetUsd").GetDecimal(), soft.GetProperty("spentUsd").GetDecimal(), soft.GetProperty("softBudgetRatio").GetDecimal()));
        Assert.Equal((budget, 3 * cost, 0m), (hard.GetProperty("budgetUsd").GetDecimal(), hard.GetProperty("spentUsd").GetDecimal(), hard.GetProperty("reservedUsd").GetDecimal()));
        Assert.Matches(@"^\d{4}-\d\d$", hard.GetProperty("month").GetString());
        Assert.Equal("default", hard.GetProperty("keyGroup").GetString());
        Assert.StartsWith("cap-", hard.GetProperty("keyName").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(key.Key, hard.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_upstream_failure_releases_the_reservation_to_what_its_record_cost()
    {
        var key = await KeyWithBudgetAsync("failure", 1000m);
        using var request = GeminiRequests.Generate(key.Key, body: CappedBody);
        request.Headers.Add(FakeHeaders.Status, "500");
        var id = GeminiRequests.RequestId(request);

        using var response = await gateway.Client.SendAsync(request);

        Assert.True((int)response.StatusCode >= 500, $"status {(int)response.StatusCode}");
        Assert.NotEmpty(gateway.UpstreamReceived(id));
        await Eventually.TrueAsync(async () => (await RecordsAsync(key.Id)).Length > 0 && (await SpendAsync(key.Id)).Reserved == 0m, TimeSpan.FromSeconds(20));
        var records = await RecordsAsync(key.Id);
        Assert.Equal(records.Sum(r => r.Cost), (await SpendAsync(key.Id)).Spent);
        Assert.Single(records, r => r.ReservationId.Length > 0);
    }

    [Fact]
    public async Task A_key_without_a_budget_reserves_nothing_but_its_spend_is_counted()
    {
        var key = await gateway.CreateKeyAsync("unbudgeted-" + Guid.NewGuid().ToString("N")[..6]);

        using var response = await SendAsync(key.Key);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Eventually.TrueAsync(async () => (await RecordsAsync(key.Id)).Length == 1, TimeSpan.FromSeconds(20));
        var record = (await RecordsAsync(key.Id)).Single();
        Assert.Equal(string.Empty, record.ReservationId);
        await Eventually.TrueAsync(async () => (await SpendAsync(key.Id)).Spent == record.Cost, TimeSpan.FromSeconds(20));
        Assert.Null((await SpendAsync(key.Id)).Budget);
    }

    /// <summary>One request held at the upstream while its reservation is read, then settled: its estimate and its cost.</summary>
    private async Task<(decimal Estimate, decimal Cost)> MeasureAsync(CreatedKey key)
    {
        using var request = GeminiRequests.Generate(key.Key, body: CappedBody);
        request.Headers.Add(FakeHeaders.DelayMs, "1500");
        var sending = gateway.Client.SendAsync(request);
        decimal estimate = 0;
        await Eventually.TrueAsync(async () => (estimate = (await SpendAsync(key.Id)).Reserved) > 0, TimeSpan.FromSeconds(10));
        using var response = await sending;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Eventually.TrueAsync(async () => (await SpendAsync(key.Id)) is { Reserved: 0m, Spent: > 0m }, TimeSpan.FromSeconds(20));
        var records = await RecordsAsync(key.Id);
        return (estimate, Assert.Single(records).Cost);
    }

    private async Task SettledAsync(string keyId, decimal spent) =>
        await Eventually.TrueAsync(async () => await SpendAsync(keyId) is var spend && spend.Spent == spent && spend.Reserved == 0m, TimeSpan.FromSeconds(20));

    private JsonElement[] Notices(string keyId) => gateway.Webhook.Received.Where(n => n.GetProperty("keyId").GetString() == keyId).ToArray();

    private async Task<CreatedKey> KeyWithBudgetAsync(string name, decimal budget, string? group = null)
    {
        var key = await gateway.CreateKeyAsync(name + "-" + Guid.NewGuid().ToString("N")[..6], group);
        await PatchAsync(key.Id, new { monthlyBudgetUsd = budget });
        return key;
    }

    private async Task PatchAsync(string id, object patch)
    {
        using var admin = gateway.AdminClient();
        using var response = await admin.PatchAsJsonAsync($"/admin/keys/{id}", patch);
        Assert.True(response.IsSuccessStatusCode, $"PATCH {id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<HttpResponseMessage> SendAsync(string key)
    {
        using var request = GeminiRequests.Generate(key, body: CappedBody);
        var response = await gateway.Client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private async Task<(decimal Spent, decimal Reserved, decimal? Budget)> SpendAsync(string keyId)
    {
        using var admin = gateway.AdminClient();
        using var json = JsonDocument.Parse(await admin.GetStringAsync(new Uri($"/admin/keys/{keyId}", UriKind.Relative)));
        var spend = json.RootElement.GetProperty("spend");
        var budget = spend.GetProperty("budgetUsd");
        return (spend.GetProperty("spentUsd").GetDecimal(), spend.GetProperty("reservedUsd").GetDecimal(), budget.ValueKind == JsonValueKind.Null ? null : budget.GetDecimal());
    }

    private async Task<(decimal Cost, string ReservationId)[]> RecordsAsync(string keyId)
    {
        using var admin = gateway.AdminClient();
        var csv = await admin.GetStringAsync(new Uri("/admin/usage/export?from=2000-01-01&to=2100-01-01&groupBy=none", UriKind.Relative));
        using var reader = new CsvReader(new StringReader(csv.TrimStart('\uFEFF')), CultureInfo.InvariantCulture);
        var rows = new List<(decimal, string)>();
        await foreach (var row in reader.GetRecordsAsync<dynamic>())
        {
            var fields = (IDictionary<string, object>)row;
            if ((string)fields["key_id"] == keyId)
            {
                var cost = (string)fields["chargeback_cost"];
                rows.Add((cost.Length == 0 ? 0m : decimal.Parse(cost, CultureInfo.InvariantCulture), (string)fields["reservation_id"]));
            }
        }

        return rows.ToArray();
    }
}

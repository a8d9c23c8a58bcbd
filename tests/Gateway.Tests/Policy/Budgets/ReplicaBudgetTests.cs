using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using Routescope.Fake;
using Routescope.Gateway.Tests.Infrastructure;

using Xunit.Abstractions;

namespace Routescope.Gateway.Tests.Policy.Budgets;

/// <summary>One budget, two replicas on one PostgreSQL, requests racing on both: the month never goes past the budget.</summary>
public sealed class ReplicaBudgetTests(PostgresReplicasFixture gateway, ITestOutputHelper output) : IClassFixture<PostgresReplicasFixture>
{
    private const string CappedBody = """{"contents":[{"role":"user","parts":[{"text":"A lighthouse at dusk"}]}],"generationConfig":{"responseModalities":["IMAGE"],"maxOutputTokens":64}}""";

    [Fact]
    public async Task Two_replicas_under_concurrent_load_never_take_a_key_past_its_budget_by_more_than_one_estimate()
    {
        var key = await gateway.CreateKeyAsync("replicas-" + Guid.NewGuid().ToString("N")[..6]);
        await PatchAsync(key.Id, new { monthlyBudgetUsd = 1000m });
        using (var first = await SendAsync(gateway.Client, key.Key, delayMs: 0))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        await Eventually.TrueAsync(async () => await SpendAsync(key.Id) is { Spent: > 0m, Reserved: 0m }, TimeSpan.FromSeconds(20));
        var cost = (await SpendAsync(key.Id)).Spent;
        // Room for about ten more requests: sixty racing on two replicas must leave most of them refused.
        var budget = decimal.Round(cost * 11.5m, 6);
        await PatchAsync(key.Id, new { monthlyBudgetUsd = budget });

        var statuses = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => Task.Run(async () =>
        {
            using var response = await SendAsync(i % 2 == 0 ? gateway.Client : gateway.OtherClient, key.Key, delayMs: 150);
            return response.StatusCode;
        })));
        await Eventually.TrueAsync(async () => (await SpendAsync(key.Id)).Reserved == 0m, TimeSpan.FromSeconds(30));
        var spent = (await SpendAsync(key.Id)).Spent;
        var granted = statuses.Count(status => status == HttpStatusCode.OK);

        output.WriteLine($"budget {budget} USD, spent {spent} USD, overshoot {Math.Max(0m, spent - budget)} USD; one request costs {cost} USD; {granted} granted, {statuses.Count(s => s == HttpStatusCode.TooManyRequests)} refused of {statuses.Length}");
        Assert.All(statuses, status => Assert.True(status is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, status.ToString()));
        Assert.True(spent <= budget, $"spent {spent} past the budget {budget}");
        Assert.Equal(cost * (granted + 1), spent);
        Assert.InRange(granted, 1, 11);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string key, int delayMs)
    {
        using var request = GeminiRequests.Generate(key, body: CappedBody);
        request.Headers.Add(FakeHeaders.DelayMs, delayMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private async Task PatchAsync(string id, object patch)
    {
        using var admin = gateway.AdminClient();
        using var response = await admin.PatchAsJsonAsync($"/admin/keys/{id}", patch);
        Assert.True(response.IsSuccessStatusCode, $"PATCH {id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<(decimal Spent, decimal Reserved)> SpendAsync(string keyId)
    {
        using var admin = gateway.AdminClient();
        using var json = JsonDocument.Parse(await admin.GetStringAsync(new Uri($"/admin/keys/{keyId}", UriKind.Relative)));
        var spend = json.RootElement.GetProperty("spend");
        return (spend.GetProperty("spentUsd").GetDecimal(), spend.GetProperty("reservedUsd").GetDecimal());
    }
}

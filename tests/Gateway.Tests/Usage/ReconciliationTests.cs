using System.Globalization;
using System.Text;

using CsvHelper;

using Routescope.Fake;
using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Usage;

/// <summary>
/// A few hundred requests of every kind (models, streams, fallbacks, upstream errors, truncations, client aborts);
/// the finance export must agree with the fake upstream's own ledger to the token, and its cost with the hand
/// computation from the published prices and the configured ratios.
/// </summary>
public abstract class ReconciliationTests(UsageFixture gateway)
{
    private static readonly Dictionary<string, (decimal Input, decimal Text, decimal Image)> Prices = new()
    {
        ["gemini-2.5-flash-image"] = (0.30m, 2.50m, 30m),
        ["gemini-3-pro-image-preview"] = (2.00m, 12.00m, 120m),
        ["gemini-3.1-flash-image-preview"] = (0.50m, 3.00m, 60m),
        ["gpt-4o-mini"] = (0m, 0m, 0m),
    };

    private static readonly string[] Models = [.. Prices.Keys];

    [Fact]
    public async Task The_export_reconciles_with_the_upstream_ledger_and_the_hand_computed_cost()
    {
        var keys = new[] { await gateway.CreateKeyAsync("team-a"), await gateway.CreateKeyAsync("team-b", "discounted") };
        var random = new Random(20261125);
        var plan = Enumerable.Range(0, 240).Select(_ => (Key: keys[random.Next(2)], Model: Models[random.Next(Models.Length)], Kind: random.Next(10))).ToArray();
        var sent = new System.Collections.Concurrent.ConcurrentDictionary<string, CreatedKey>();
        var scripts = new System.Collections.Concurrent.ConcurrentDictionary<string, Func<ReceivedRequest, FakeScriptedResponse?>>();
        gateway.Upstream.Script = r => r.Header("x-request-id") is { } id && scripts.TryGetValue(id, out var script) ? script(r) : null;

        await Parallel.ForEachAsync(plan, new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (item, token) =>
        {
            var (request, leaveAfter) = Build(item.Key.Key, item.Model, item.Kind, scripts);
            sent[GeminiRequests.RequestId(request)] = item.Key;
            using (request)
            using (var leave = new CancellationTokenSource(leaveAfter ?? Timeout.InfiniteTimeSpan))
            {
                try
                {
                    using var response = await gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, leave.Token);
                    await response.Content.ReadAsByteArrayAsync(leave.Token);
                }
                catch (Exception exception) when (exception is OperationCanceledException or HttpRequestException or IOException)
                {
                    // Aborts and truncations are part of the mix.
                }
            }
        });

        var records = await gateway.RecordsAsync(sent.Keys);
        gateway.Upstream.Script = null;
        await Task.Delay(300);

        // The ledger side: what the fake says it delivered, attributed to the key that sent each request.
        var expected = new Dictionary<(string Key, string Model), (long Prompt, long Candidates, long Total, long Image, decimal Cost)>();
        foreach (var received in gateway.Upstream.Received)
        {
            if (received.Header("x-request-id") is not { } id || !sent.TryGetValue(id, out var key) || received.Issued is not { } issued)
            {
                continue;
            }

            var (input, text, image) = Prices[received.Model!];
            var groupRatio = key.Id == keys[1].Id ? 0.8m : 1m;
            var cost = ((issued.PromptTokens * input) + ((issued.CandidatesTokens - issued.ImageTokens) * text) + (issued.ImageTokens * image)) / 1_000_000m * 1.1m * groupRatio;
            var sum = expected.GetValueOrDefault((key.Id, received.Model!));
            expected[(key.Id, received.Model!)] = (sum.Prompt + issued.PromptTokens, sum.Candidates + issued.CandidatesTokens, sum.Total + issued.TotalTokens, sum.Image + issued.ImageTokens, sum.Cost + cost);
        }

        var export = await ExportAsync("key,model");
        var actual = export.ToDictionary(
            row => (row["key_id"], row["model"]),
            row => (long.Parse(row["prompt_tokens"], CultureInfo.InvariantCulture), long.Parse(row["candidates_tokens"], CultureInfo.InvariantCulture),
                long.Parse(row["total_tokens"], CultureInfo.InvariantCulture), long.Parse(row["output_image_tokens"], CultureInfo.InvariantCulture),
                decimal.Parse(row["cost"], CultureInfo.InvariantCulture)));

        foreach (var (group, sums) in expected)
        {
            Assert.True(actual.TryGetValue(group, out var exported), $"no export row for {group}");
            Assert.Equal(sums, exported);
        }

        Assert.All(actual.Where(row => !expected.ContainsKey(row.Key)), row => Assert.Equal((0L, 0L, 0L, 0L, 0m), row.Value));

        // One record per request, none twice, and the groups add up to the rows.
        var mine = records.Where(r => sent.ContainsKey(r.RequestId)).ToArray();
        Assert.Equal(sent.Count, mine.Length);
        Assert.Equal(mine.Length, mine.Select(r => r.RequestId).Distinct().Count());
        Assert.Equal(mine.Sum(r => r.Cost), actual.Values.Sum(v => v.Item5));
        Assert.Equal(mine.Length, export.Sum(row => int.Parse(row["requests"], CultureInfo.InvariantCulture)));
        Assert.Contains(mine, r => r.Outcome == "client_aborted");
        Assert.Contains(mine, r => r.Outcome == "truncated");
        Assert.Contains(mine, r => r.Outcome == "upstream_error");
        Assert.Contains(mine, r => r.FallbackChain.Length > 0);
    }

    private static (HttpRequestMessage Request, TimeSpan? LeaveAfter) Build(string key, string model, int kind, System.Collections.Concurrent.ConcurrentDictionary<string, Func<ReceivedRequest, FakeScriptedResponse?>> scripts)
    {
        var stream = kind is 1 or 2;
        var path = $"/v1beta/models/{model}:" + (stream ? "streamGenerateContent?alt=sse" : "generateContent");
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(RequestBodies.Generate(prompt: "p" + kind), Encoding.UTF8, "application/json") };
        GeminiRequests.WithIdentity(request, key);
        var id = GeminiRequests.RequestId(request);
        switch (kind)
        {
            case 3:
                request.Headers.Add(FakeUpstream.StatusHeader, "500");
                break;
            case 4 when model is "gemini-3.1-flash-image-preview" or "gemini-3-pro-image-preview":
                scripts[id] = r => r.Model == model ? new FakeScriptedResponse { StatusCode = 503 } : null;
                break;
            case 5:
                var partial = Encoding.UTF8.GetBytes("{\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":{\"data\":\"" + new string('A', 9_000));
                scripts[id] = _ => new FakeScriptedResponse { StatusCode = 200, Body = partial, AbortAfterBodyBytes = 3_000 };
                break;
            case 6:
                request.Headers.Add(FakeUpstream.DelayHeader, "4000");
                return (request, TimeSpan.FromMilliseconds(300));
        }

        return (request, null);
    }

    private async Task<List<Dictionary<string, string>>> ExportAsync(string groupBy)
    {
        using var admin = gateway.AdminClient();
        var csv = await admin.GetStringAsync(new Uri($"/admin/usage/export?from=2000-01-01&to=2100-01-01&groupBy={groupBy}&format=csv", UriKind.Relative));
        using var reader = new CsvReader(new StringReader(csv), CultureInfo.InvariantCulture);
        var rows = new List<Dictionary<string, string>>();
        await reader.ReadAsync();
        reader.ReadHeader();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.HeaderRecord!.ToDictionary(h => h, h => reader.GetField(h)!));
        }

        return rows;
    }
}

public sealed class SqliteReconciliationTests(UsageFixture gateway) : ReconciliationTests(gateway), IClassFixture<UsageFixture>;

public sealed class PostgresReconciliationTests(PostgresUsageFixture gateway) : ReconciliationTests(gateway), IClassFixture<PostgresUsageFixture>;

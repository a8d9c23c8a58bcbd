using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

using CsvHelper;

using Routescope.Fake;
using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Usage;

/// <summary>
/// A few hundred requests of every kind (models, streams, fallbacks, upstream errors, truncations, client aborts);
/// the finance export must agree with the fake upstream's ledger (its invoice) to the token, and its cost with the
/// hand computation from the published prices and the configured ratios.
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
    public async Task The_export_reconciles_with_the_upstream_invoice_and_the_hand_computed_cost()
    {
        var keys = new[] { await gateway.CreateKeyAsync("team-a"), await gateway.CreateKeyAsync("team-b", "discounted") };
        var random = new Random(20261125);
        var plan = Enumerable.Range(0, 240).Select(_ => (Key: keys[random.Next(2)], Model: Models[random.Next(Models.Length)], Kind: random.Next(10))).ToArray();
        var sent = await SendAsync(plan, Build);

        var records = await gateway.RecordsAsync(sent.Keys);
        var invoice = await InvoiceAsync(sent);

        // The upstream also bills work whose answer the gateway never read: its client left while the upstream was
        // generating (kind 6), so the gateway gave up the call. That is the gap finance sees between the invoice and
        // the export; everything the upstream delivered must match to the token.
        Assert.Contains(invoice, entry => !entry.DeliveredInFull && entry.Billed.TotalTokens > 0);
        var actual = await AssertExportMatchesAsync(invoice.Where(entry => entry.DeliveredInFull), sent, keys);

        // One record per request, none twice, and the groups add up to the rows.
        var mine = records.Where(r => sent.ContainsKey(r.RequestId)).ToArray();
        Assert.Equal(sent.Count, mine.Length);
        Assert.Equal(mine.Length, mine.Select(r => r.RequestId).Distinct().Count());
        Assert.Equal(mine.Sum(r => r.Cost), actual.Values.Sum(v => v.Cost));
        Assert.Equal(mine.Length, actual.Values.Sum(v => v.Requests));
        Assert.Contains(mine, r => r.Outcome == "client_aborted");
        Assert.Contains(mine, r => r.Outcome == "truncated");
        Assert.Contains(mine, r => r.Outcome == "upstream_error");
        Assert.Contains(mine, r => r.FallbackChain.Length > 0);
    }

    [Fact(Skip = "Gateway metering, outside this branch: compressed answers, usage details without, with an escaped or with a repeated IMAGE "
        + "entry, counts only early stream events carry, split SSE data lines, JSON in SSE comments, tool-use tokens, usage in error bodies and work "
        + "billed after the caller left are each billed unlike the upstream's invoice. Un-skip to measure the gap; src/Routescope.Fake/README.md lists the steering.")]
    public async Task The_export_matches_the_upstream_invoice_whatever_the_upstream_does()
    {
        var keys = new[] { await gateway.CreateKeyAsync("real-a"), await gateway.CreateKeyAsync("real-b", "discounted") };
        var random = new Random(20261201);
        var plan = Enumerable.Range(0, 120).Select(_ => (Key: keys[random.Next(2)], Model: Models[random.Next(Models.Length - 1)], Kind: random.Next(12))).ToArray();
        var sent = await SendAsync(plan, BuildUnkind);

        var invoice = await InvoiceAsync(sent);

        await AssertExportMatchesAsync(invoice, sent, keys);
    }

    /// <summary>Sends the plan six at a time, each request on its way to be left, broken or answered; returns who sent what.</summary>
    private async Task<ConcurrentDictionary<string, CreatedKey>> SendAsync(
        (CreatedKey Key, string Model, int Kind)[] plan,
        Func<string, string, int, ConcurrentDictionary<string, Func<ReceivedRequest, FakeScriptedResponse?>>, (HttpRequestMessage Request, TimeSpan? LeaveAfter)> build)
    {
        var sent = new ConcurrentDictionary<string, CreatedKey>();
        var scripts = new ConcurrentDictionary<string, Func<ReceivedRequest, FakeScriptedResponse?>>();
        gateway.Upstream.Script = r => r.Header("x-request-id") is { } id && scripts.TryGetValue(id, out var script) ? script(r) : null;
        try
        {
            await Parallel.ForEachAsync(plan, new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (item, token) =>
            {
                var (request, leaveAfter) = build(item.Key.Key, item.Model, item.Kind, scripts);
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
            await gateway.RecordsAsync(sent.Keys);
        }
        finally
        {
            gateway.Upstream.Script = null;
        }

        return sent;
    }

    /// <summary>The upstream's ledger entries for the requests sent, once every answer has ended.</summary>
    private async Task<FakeLedgerEntry[]> InvoiceAsync(ConcurrentDictionary<string, CreatedKey> sent)
    {
        FakeLedgerEntry[] mine = [];
        await Eventually.TrueAsync(() => (mine = [.. gateway.Upstream.Ledger.Where(e => e.RequestId is { } id && sent.ContainsKey(id))])
            .All(e => e.Delivery != FakeDelivery.Pending));
        return mine;
    }

    /// <summary>The export rows of <paramref name="keys"/> (the second one discounted) equal the invoice's bills, priced by hand; returns those rows.</summary>
    private async Task<Dictionary<(string Key, string Model), (long Prompt, long Candidates, long Total, long Image, decimal Cost, int Requests)>> AssertExportMatchesAsync(
        IEnumerable<FakeLedgerEntry> invoice, ConcurrentDictionary<string, CreatedKey> sent, CreatedKey[] keys)
    {
        var expected = invoice.BilledBy(entry => (Key: sent[entry.RequestId!].Id, Model: entry.Model!))
            .Where(group => group.Value != FakeBill.None)
            .ToDictionary(group => group.Key, group => (group.Value.PromptTokens, group.Value.CandidatesTokens, group.Value.TotalTokens, group.Value.ImageTokens,
                Cost: Cost(group.Value, group.Key.Model, group.Key.Key == keys[1].Id ? 0.8m : 1m)));

        var export = await ExportAsync("key,model");
        var actual = export.Where(row => keys.Any(key => key.Id == row["key_id"])).ToDictionary(
            row => (row["key_id"], row["model"]),
            row => (long.Parse(row["prompt_tokens"], CultureInfo.InvariantCulture), long.Parse(row["candidates_tokens"], CultureInfo.InvariantCulture),
                long.Parse(row["total_tokens"], CultureInfo.InvariantCulture), long.Parse(row["output_image_tokens"], CultureInfo.InvariantCulture),
                Cost: decimal.Parse(row["cost"], CultureInfo.InvariantCulture), Requests: int.Parse(row["requests"], CultureInfo.InvariantCulture)));

        foreach (var (group, sums) in expected)
        {
            Assert.True(actual.TryGetValue(group, out var exported), $"no export row for {group}");
            Assert.Equal(sums, (exported.Item1, exported.Item2, exported.Item3, exported.Item4, exported.Cost));
        }

        Assert.All(actual.Where(row => !expected.ContainsKey(row.Key)), row => Assert.Equal((0L, 0L, 0L, 0L, 0m), (row.Value.Item1, row.Value.Item2, row.Value.Item3, row.Value.Item4, row.Value.Cost)));
        return actual;
    }

    /// <summary>The upstream's price of a bill: input for prompt and tool use, the text rate for text and thinking, the image rate for images.</summary>
    private static decimal Cost(FakeBill billed, string model, decimal groupRatio)
    {
        var (input, text, image) = Prices[model];
        return (((billed.PromptTokens + billed.ToolUsePromptTokens) * input) + ((billed.TextTokens + billed.ThoughtsTokens) * text) + (billed.ImageTokens * image))
            / 1_000_000m * 1.1m * groupRatio;
    }

    private static (HttpRequestMessage Request, TimeSpan? LeaveAfter) Build(string key, string model, int kind, ConcurrentDictionary<string, Func<ReceivedRequest, FakeScriptedResponse?>> scripts)
    {
        var stream = kind is 1 or 2;
        var path = $"/v1beta/models/{model}:" + (stream ? "streamGenerateContent?alt=sse" : "generateContent");
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(RequestBodies.Generate(prompt: "p" + kind), Encoding.UTF8, "application/json") };
        GeminiRequests.WithIdentity(request, key);
        var id = GeminiRequests.RequestId(request);
        switch (kind)
        {
            case 3:
                request.Headers.Add(FakeHeaders.Status, "500");
                break;
            case 4 when model is "gemini-3.1-flash-image-preview" or "gemini-3-pro-image-preview":
                scripts[id] = r => r.Model == model ? new FakeScriptedResponse { StatusCode = 503 } : null;
                break;
            case 5:
                var partial = Encoding.UTF8.GetBytes("{\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":{\"data\":\"" + new string('A', 9_000));
                scripts[id] = _ => new FakeScriptedResponse { StatusCode = 200, Body = partial, AbortAfterBodyBytes = 3_000 };
                break;
            case 6:
                request.Headers.Add(FakeHeaders.DelayMs, "4000");
                return (request, TimeSpan.FromMilliseconds(300));
        }

        return (request, null);
    }

    /// <summary>What real upstreams do that the plain mix does not: every kind bills (or not) as the invoice says.</summary>
    private static (HttpRequestMessage Request, TimeSpan? LeaveAfter) BuildUnkind(string key, string model, int kind, ConcurrentDictionary<string, Func<ReceivedRequest, FakeScriptedResponse?>> scripts)
    {
        var stream = kind is 3 or 4 or 5 or 10;
        var path = $"/v1beta/models/{model}:" + (stream ? "streamGenerateContent?alt=sse" : "generateContent");
        var body = RequestBodies.Generate(prompt: "u" + kind, imageSize: model == "gemini-3-pro-image-preview" && kind % 2 == 0 ? "4K" : null);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        GeminiRequests.WithIdentity(request, key);
        (string Name, string Value)[] steering = kind switch
        {
            0 => [("Accept-Encoding", "gzip, deflate")],
            1 => [(FakeHeaders.UsageDetails, FakeHeaders.UsageDetailsValues.EscapedModality)],
            2 => [(FakeHeaders.UsageDetails, FakeHeaders.UsageDetailsValues.ImageTwice), (FakeHeaders.ToolUseTokens, "200")],
            3 => [(FakeHeaders.ThoughtsTokens, "150"), (FakeHeaders.EarlyUsage, "thoughtsTokenCount")],
            4 => [(FakeHeaders.Sse, "comments,events,split")],
            5 => [("Accept-Encoding", "br")],
            6 => [(FakeHeaders.UsageDetails, FakeHeaders.UsageDetailsValues.NoCandidatesDetails), (FakeHeaders.CachedTokens, "400")],
            7 => [(FakeHeaders.Refusal, FakeHeaders.Refusals.ImageSafety), (FakeHeaders.ThoughtsTokens, "80")],
            8 => [(FakeHeaders.Status, "503"), (FakeHeaders.ErrorUsage, "true")],
            9 => [(FakeHeaders.BreakAfterBytes, "4000")],
            10 => [(FakeHeaders.BreakAfterEvents, "2")],
            _ => [(FakeHeaders.DelayMs, "2000")],
        };
        foreach (var (name, value) in steering)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return (request, kind == 11 ? TimeSpan.FromMilliseconds(300) : null);
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

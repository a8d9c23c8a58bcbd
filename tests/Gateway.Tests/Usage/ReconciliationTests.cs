using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

using Routescope.Fake;
using Routescope.Gateway.Tests.Infrastructure;
using Routescope.Gateway.Usage;

using Xunit.Abstractions;

namespace Routescope.Gateway.Tests.Usage;

/// <summary>A usage gateway that gives up on a silent upstream quickly and never stops trying a model.</summary>
public class ReconciliationFixture : UsageFixture
{
    protected override GatewayFactory CreateFactory(Dictionary<string, string?> settings)
    {
        settings["ReverseProxy:Clusters:routescope:HttpRequest:ActivityTimeout"] = "00:00:02";
        // Timeouts are part of the mix; an open breaker would turn the rest of the run into 503s the upstream never saw.
        settings["Fallback:Breaker:FailureThreshold"] = "100000";
        return base.CreateFactory(settings);
    }
}

public sealed class PostgresReconciliationFixture : ReconciliationFixture
{
    protected override bool OnPostgres => true;
}

/// <summary>
/// A few hundred requests of every kind real upstreams and clients produce (compression, usage detail variations,
/// cached, tool-use and thinking tokens, thought images, refusals, odd SSE, errors with usage, fallbacks, timeouts,
/// clients leaving before and during the answer, broken streams). Every record is matched with the fake upstream's
/// ledger (its invoice): measured records to the token, estimated ones flagged and priced by the same published
/// prices, and the export's sums per key and model equal to the records', measured and estimated cost apart.
/// </summary>
public abstract class ReconciliationTests(ReconciliationFixture gateway, ITestOutputHelper output)
{
    private static readonly Dictionary<string, (decimal Input, decimal Cached, decimal Text, decimal Image)> Prices = new()
    {
        ["gemini-2.5-flash-image"] = (0.30m, 0.03m, 2.50m, 30m),
        ["gemini-3-pro-image-preview"] = (2.00m, 0.20m, 12.00m, 120m),
        ["gemini-3.1-flash-image-preview"] = (0.50m, 0.05m, 3.00m, 60m),
        ["gpt-4o-mini"] = (0.15m, 0.075m, 0.60m, 0m),
    };

    private static readonly string[] Models = [.. Prices.Keys];

    [Fact]
    public async Task The_export_reconciles_with_the_upstream_invoice_whatever_the_upstream_and_the_clients_do()
    {
        var keys = new[] { await gateway.CreateKeyAsync("team-a"), await gateway.CreateKeyAsync("team-b", "discounted") };
        var random = new Random(20261201);
        var plan = Enumerable.Range(0, 300).Select(_ => (Key: keys[random.Next(2)], Model: Models[random.Next(Models.Length)], Kind: random.Next(22))).ToArray();
        var leftEarly = new ConcurrentDictionary<string, bool>();
        var sent = await SendAsync(plan, leftEarly);
        var records = (await gateway.RecordsAsync(sent.Keys, TimeSpan.FromSeconds(60))).Where(r => sent.ContainsKey(r.RequestId)).ToArray();
        var invoice = await InvoiceAsync(sent);

        // Every request has its record, at most one besides those of abandoned attempts, and no attempt twice. The one
        // exception is a client that left before the gateway began forwarding (a loaded machine can take longer than
        // its 150 ms to authenticate, inspect and reserve): nothing reached the upstream, so nothing is billed or recorded.
        var unrecorded = sent.Keys.Except(records.Select(r => r.RequestId)).ToArray();
        Assert.All(unrecorded, id =>
        {
            Assert.True(leftEarly.ContainsKey(id), $"request {id} has no record, and its client did not leave");
            Assert.DoesNotContain(invoice, e => e.RequestId == id);
        });
        Assert.True(unrecorded.Length <= plan.Length / 20, $"{unrecorded.Length} requests left before forwarding: the mix no longer tests what it should");
        Assert.Equal(records.Length, records.Select(r => r.RecordId).Distinct().Count());
        Assert.All(records.GroupBy(r => r.RequestId), request =>
        {
            Assert.Equal(1, request.Count(r => r.Outcome != UsageOutcome.Abandoned));
            Assert.Equal(request.Count(), request.Select(r => r.ServedModel).Distinct().Count());
        });

        // Every upstream call the invoice bills has its record, and every record its invoice line (or bills nothing).
        var bills = invoice.Where(e => e.Billed != FakeBill.None).GroupBy(e => (e.RequestId!, e.Model!)).ToDictionary(g => g.Key, g => g.Aggregate(FakeBill.None, (sum, e) => sum + e.Billed));
        var recorded = records.ToLookup(r => (r.RequestId, r.ServedModel));
        Assert.All(bills.Keys, line => Assert.True(recorded.Contains(line), $"no record for the invoice line {line}"));

        foreach (var record in records)
        {
            var bill = bills.GetValueOrDefault((record.RequestId, record.ServedModel), FakeBill.None);
            var ratio = record.KeyId == keys[1].Id ? 0.8m : 1m;
            if (record.CostBasis == UsageCostBasis.Measured)
            {
                Assert.Equal(
                    (bill.PromptTokens, bill.CachedContentTokens, bill.ToolUsePromptTokens, bill.ThoughtsTokens, bill.CandidatesTokens, bill.ImageTokens, bill.TotalTokens),
                    (record.PromptTokens, record.CachedContentTokens, record.ToolUsePromptTokens, record.ThoughtsTokens, record.CandidatesTokens, record.OutputImageTokens, record.TotalTokens));
                // The upstream cost is the invoice line itself; the team's share is it times the group's ratio.
                Assert.Equal(Cost(bill, record.ServedModel, 1m), record.UpstreamCost);
                Assert.Equal(record.UpstreamCost * ratio, record.ChargebackCost);
            }
            else
            {
                // An estimate rests on work the invoice does bill; it is priced as the upstream prices the same tokens.
                Assert.Equal(UsageCostBasis.Estimated, record.CostBasis);
                Assert.NotEqual(FakeBill.None, bill);
                Assert.Equal(Cost(record, 1m), record.UpstreamCost);
                Assert.Equal(record.UpstreamCost * ratio, record.ChargebackCost);
            }

            // Every figure can be recomputed from the record's own prices, ratios and counts.
            Assert.Equal(UsageRecordCosts.Upstream(record), record.UpstreamCost);
        }

        // The month's export per key and model is the sum of its records, both costs, measured and estimated apart.
        var export = await ExportAsync("key,model,month");
        foreach (var group in records.GroupBy(r => (r.KeyId, r.ServedModel, Month: r.BilledAt!.Value.ToString("yyyy-MM", CultureInfo.InvariantCulture))))
        {
            var row = Assert.Single(export, row => row["key_id"] == group.Key.KeyId && row["model"] == group.Key.ServedModel && row["month"] == group.Key.Month);
            Assert.Equal(group.Sum(r => r.PromptTokens), Long(row, "prompt_tokens"));
            Assert.Equal(group.Sum(r => r.CandidatesTokens), Long(row, "candidates_tokens"));
            Assert.Equal(group.Sum(r => r.TotalTokens), Long(row, "total_tokens"));
            Assert.Equal(group.Sum(r => r.OutputImageTokens), Long(row, "output_image_tokens"));
            Assert.Equal(group.Where(r => r.CostBasis == UsageCostBasis.Measured).Sum(r => r.ChargebackCost), Money(row, "chargeback_measured_cost"));
            Assert.Equal(group.Where(r => r.CostBasis != UsageCostBasis.Measured).Sum(r => r.ChargebackCost), Money(row, "chargeback_estimated_cost"));
            Assert.Equal(Money(row, "chargeback_measured_cost") + Money(row, "chargeback_estimated_cost"), Money(row, "chargeback_cost"));
            Assert.Equal(group.Where(r => r.CostBasis == UsageCostBasis.Measured).Sum(r => r.UpstreamCost), Money(row, "upstream_measured_cost"));
            Assert.Equal(group.Where(r => r.CostBasis != UsageCostBasis.Measured).Sum(r => r.UpstreamCost), Money(row, "upstream_estimated_cost"));
            Assert.Equal(Money(row, "upstream_cost") * Money(row, "group_ratio"), Money(row, "chargeback_cost"));
        }

        // Measured records reconcile with their invoice lines to the token, per key and model.
        var measuredLines = records.Where(r => r.CostBasis == UsageCostBasis.Measured).Select(r => (r.RequestId, r.ServedModel)).ToHashSet();
        foreach (var group in records.Where(r => r.CostBasis == UsageCostBasis.Measured).GroupBy(r => (r.KeyId, r.ServedModel)))
        {
            var lines = bills.Where(b => measuredLines.Contains(b.Key) && sent[b.Key.Item1].Id == group.Key.KeyId && b.Key.Item2 == group.Key.ServedModel).Select(b => b.Value).ToArray();
            Assert.Equal(lines.Sum(b => b.TotalTokens), group.Sum(r => r.TotalTokens));
            Assert.Equal(lines.Sum(b => Cost(b, group.Key.ServedModel, 1m)), group.Sum(r => r.UpstreamCost));
            Assert.Equal(lines.Sum(b => Cost(b, group.Key.ServedModel, group.Key.KeyId == keys[1].Id ? 0.8m : 1m)), group.Sum(r => r.ChargebackCost));
        }

        // Estimates are estimates, but of the right order: within a quarter of what the invoice bills for the same lines.
        var estimatedLines = records.Where(r => r.CostBasis != UsageCostBasis.Measured).ToDictionary(r => (r.RequestId, r.ServedModel), r => r.ChargebackCost ?? 0);
        var estimatedInvoice = bills.Where(b => estimatedLines.ContainsKey(b.Key)).Sum(b => Cost(b.Value, b.Key.Item2, sent[b.Key.Item1].Id == keys[1].Id ? 0.8m : 1m));
        Assert.InRange(estimatedLines.Values.Sum(), estimatedInvoice * 0.75m, estimatedInvoice * 1.25m);

        Report(records, bills, keys, export);
        Assert.Contains(records, r => r.Outcome == UsageOutcome.ClientAborted && r.CostBasis == UsageCostBasis.Measured);
        Assert.Contains(records, r => r.Outcome == UsageOutcome.Truncated && r.CostBasis == UsageCostBasis.Estimated);
        Assert.Contains(records, r => r.Outcome == UsageOutcome.Abandoned);
        Assert.Contains(records, r => r.Outcome == UsageOutcome.UpstreamError && r.CostBasis == UsageCostBasis.Estimated && r.FallbackChain.Contains("503", StringComparison.Ordinal));
        Assert.Contains(records, r => r.Outcome == UsageOutcome.ClientAborted && r.Flags.Contains(UsageFlags.Refusal, StringComparison.Ordinal) && r.CostBasis == UsageCostBasis.Measured);
        Assert.Contains(records, r => r.Outcome == UsageOutcome.UpstreamError && r.Flags.Contains(UsageFlags.ErrorUsageIgnored, StringComparison.Ordinal));
        Assert.Contains(records, r => r.Flags.Contains(UsageFlags.Refusal, StringComparison.Ordinal));
        Assert.Contains(records, r => r.Flags.Contains(UsageFlags.ImageTokensFromCatalog, StringComparison.Ordinal));
        Assert.Contains(records, r => r.FallbackChain.Length > 0 && r.Outcome == UsageOutcome.Complete);
    }

    /// <summary>The figures of the run, for the closing note: requests, tokens and both costs, export against invoice.</summary>
    private void Report(UsageRecord[] records, Dictionary<(string, string), FakeBill> bills, CreatedKey[] keys, List<Dictionary<string, string>> export)
    {
        var measured = records.Where(r => r.CostBasis == UsageCostBasis.Measured).ToArray();
        var estimated = records.Where(r => r.CostBasis != UsageCostBasis.Measured).ToArray();
        decimal Invoice(IEnumerable<KeyValuePair<(string, string), FakeBill>> lines, bool chargeback) =>
            lines.Sum(b => Cost(b.Value, b.Key.Item2, chargeback && records.First(r => r.RequestId == b.Key.Item1).KeyId == keys[1].Id ? 0.8m : 1m));
        var measuredLines = bills.Where(b => measured.Any(r => (r.RequestId, r.ServedModel) == b.Key)).ToArray();
        var mine = export.Where(row => keys.Any(k => k.Id == row["key_id"])).ToArray();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"month {string.Join(",", mine.Select(r => r["month"]).Distinct())}: records {records.Length} ({measured.Length} measured, {estimated.Length} estimated), invoice lines {bills.Count}; "
            + $"tokens export {mine.Sum(r => Long(r, "total_tokens"))} / invoice {bills.Values.Sum(b => b.TotalTokens)}; "
            + $"measured upstream cost export {mine.Sum(r => Money(r, "upstream_measured_cost"))} / invoice {Invoice(measuredLines, chargeback: false)}; "
            + $"measured chargeback cost export {mine.Sum(r => Money(r, "chargeback_measured_cost"))} / invoice x group ratio {Invoice(measuredLines, chargeback: true)}; "
            + $"estimated upstream cost export {mine.Sum(r => Money(r, "upstream_estimated_cost"))} / invoice {Invoice(bills.Except(measuredLines), chargeback: false)}"));
    }

    /// <summary>The upstream's price of a bill: prompt at input less cached at the cached rate, tool use at input, text and thinking at the text rate, images at the image rate.</summary>
    private static decimal Cost(FakeBill billed, string model, decimal groupRatio)
    {
        var (input, cached, text, image) = Prices[model];
        return ((((billed.PromptTokens - billed.CachedContentTokens + billed.ToolUsePromptTokens) * input) + (billed.CachedContentTokens * cached)
            + ((billed.TextTokens + billed.ThoughtsTokens) * text) + (billed.ImageTokens * image)) / 1_000_000m) * 1.1m * groupRatio;
    }

    /// <summary>The same prices applied to a record's own (estimated) counts.</summary>
    private static decimal Cost(UsageRecord record, decimal groupRatio)
    {
        var (input, cached, text, image) = Prices[record.ServedModel];
        return ((((record.PromptTokens - record.CachedContentTokens + record.ToolUsePromptTokens) * input) + (record.CachedContentTokens * cached)
            + ((record.OutputTextTokens + record.ThoughtsTokens) * text) + (record.OutputImageTokens * image)) / 1_000_000m) * 1.1m * groupRatio;
    }

    /// <summary>Sends the plan six at a time, each request on its way to be answered, left, broken or abandoned; returns who sent what.</summary>
    private async Task<ConcurrentDictionary<string, CreatedKey>> SendAsync((CreatedKey Key, string Model, int Kind)[] plan, ConcurrentDictionary<string, bool> leftEarly)
    {
        var sent = new ConcurrentDictionary<string, CreatedKey>();
        var scripts = new ConcurrentDictionary<string, Func<ReceivedRequest, FakeScriptedResponse?>>();
        gateway.Upstream.Script = r => r.Header("x-request-id") is { } id && scripts.TryGetValue(id, out var script) ? script(r) : null;
        try
        {
            await Parallel.ForEachAsync(plan, new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (item, token) =>
            {
                var (request, leaveAfter) = Build(item.Key.Key, item.Model, item.Kind, scripts);
                sent[GeminiRequests.RequestId(request)] = item.Key;
                if (leaveAfter is not null)
                {
                    leftEarly[GeminiRequests.RequestId(request)] = true;
                }

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
                        // Clients leaving and streams breaking are part of the mix.
                    }
                }
            });
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

    private static (HttpRequestMessage Request, TimeSpan? LeaveAfter) Build(
        string key, string model, int kind, ConcurrentDictionary<string, Func<ReceivedRequest, FakeScriptedResponse?>> scripts)
    {
        var operation = kind switch
        {
            1 or 7 or 12 or 13 or 18 => "streamGenerateContent?alt=sse",
            2 => "streamGenerateContent",
            _ => "generateContent",
        };
        var image = Prices[model].Image > 0;
        var body = image
            ? RequestBodies.Generate(prompt: "r" + kind, imageSize: model == "gemini-3-pro-image-preview" && kind % 2 == 0 ? "4K" : null)
            : """{"contents":[{"parts":[{"text":"Writing a four-word poem on urban night rain."}]}]}""";
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1beta/models/{model}:{operation}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        GeminiRequests.WithIdentity(request, key);
        var id = GeminiRequests.RequestId(request);
        TimeSpan? leaveAfter = null;
        (string Name, string Value)[] steering = kind switch
        {
            3 => [(FakeHeaders.Status, "500")],
            4 => [(FakeHeaders.Status, "503"), (FakeHeaders.ErrorUsage, "true")],
            // Upstreams that compress whatever they were asked for (the client's codings do not reach them by default).
            6 => [("Accept-Encoding", "gzip, deflate"), (FakeHeaders.Encoding, FakeHeaders.Encodings.Gzip)],
            7 => [("Accept-Encoding", "br"), (FakeHeaders.Encoding, FakeHeaders.Encodings.Brotli)],
            8 => [(FakeHeaders.Encoding, FakeHeaders.Encodings.RawDeflate)],
            9 => [(FakeHeaders.UsageDetails, FakeHeaders.UsageDetailsValues.EscapedModality), (FakeHeaders.ToolUseTokens, "200")],
            10 => [(FakeHeaders.UsageDetails, FakeHeaders.UsageDetailsValues.ImageTwice), (FakeHeaders.CachedTokens, "400")],
            11 => [(FakeHeaders.UsageDetails, FakeHeaders.UsageDetailsValues.NoCandidatesDetails)],
            12 => [(FakeHeaders.ThoughtsTokens, "150"), (FakeHeaders.EarlyUsage, "thoughtsTokenCount,toolUsePromptTokenCount"), (FakeHeaders.ToolUseTokens, "30")],
            13 => [(FakeHeaders.Sse, "comments,events,split,lf")],
            14 => [(FakeHeaders.Refusal, FakeHeaders.Refusals.ImageSafety), (FakeHeaders.ThoughtsTokens, "80")],
            // The client leaves while the upstream is still working, then while the answer streams.
            15 => [(FakeHeaders.DelayMs, "800")],
            16 => [(FakeHeaders.PaceMs, "40"), (FakeHeaders.ImageBytes, "400000")],
            17 => [(FakeHeaders.BreakAfterBytes, "4000")],
            18 => [(FakeHeaders.BreakAfterEvents, "1")],
            // Longer than the activity timeout: every attempt of the chain is abandoned, each billed upstream.
            19 or 20 => [(FakeHeaders.DelayMs, "2600")],
            // A refusal whose client left before it came: read to its end all the same, and billed as reported.
            21 => [(FakeHeaders.Refusal, FakeHeaders.Refusals.ImageSafety), (FakeHeaders.ThoughtsTokens, "80"), (FakeHeaders.DelayMs, "800")],
            _ => [],
        };
        foreach (var (name, value) in steering)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        switch (kind)
        {
            // A 503 first (held back, not billed), then attempts that time out after the upstream got them.
            case 5 or 20 when model is "gemini-3.1-flash-image-preview" or "gemini-3-pro-image-preview":
                scripts[id] = r => r.Model == model ? new FakeScriptedResponse { StatusCode = 503 } : null;
                break;
            case 15 or 21:
                leaveAfter = TimeSpan.FromMilliseconds(200);
                break;
            case 16:
                leaveAfter = TimeSpan.FromMilliseconds(150);
                break;
        }

        return (request, leaveAfter);
    }

    private static long Long(Dictionary<string, string> row, string column) => long.Parse(row[column], CultureInfo.InvariantCulture);

    private static decimal Money(Dictionary<string, string> row, string column) => decimal.Parse(row[column], CultureInfo.InvariantCulture);

    private async Task<List<Dictionary<string, string>>> ExportAsync(string groupBy)
    {
        using var admin = gateway.AdminClient();
        return CsvRows.Parse(await admin.GetStringAsync(new Uri($"/admin/usage/export?from=2000-01-01&to=2100-01-01&groupBy={groupBy}&format=csv", UriKind.Relative)));
    }
}

public sealed class SqliteReconciliationTests(ReconciliationFixture gateway, ITestOutputHelper output) : ReconciliationTests(gateway, output), IClassFixture<ReconciliationFixture>;

public sealed class PostgresReconciliationTests(PostgresReconciliationFixture gateway, ITestOutputHelper output) : ReconciliationTests(gateway, output), IClassFixture<PostgresReconciliationFixture>;

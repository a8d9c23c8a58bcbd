using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

using Routescope.Fake;
using Routescope.Gateway.Errors;
using Routescope.Gateway.Tests.Infrastructure;
using Routescope.Gateway.Usage;

using Xunit.Abstractions;
using Xunit.Sdk;

namespace Routescope.Gateway.Tests.Faults;

/// <summary>
/// The upstream-fault suite: every fault of <see cref="FaultCases"/>, then a 5xx storm. For each: the client gets a
/// clean answer or a clean cut (a hang guard fails a case that gets neither in time; bounds come from the gateway's
/// own short timeouts), fallback happens only before the first byte, the usage record says what happened, and the next
/// valid request for the same model is served by that model. All cases run, then every failure is reported at once.
/// </summary>
public sealed class UpstreamFaultSuiteTests(FaultFixture gateway, ITestOutputHelper output) : IClassFixture<FaultFixture>
{
    /// <summary>Not a performance bound: only so a hung exchange fails the case instead of the run.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Every_upstream_fault_ends_cleanly_is_recorded_and_leaves_the_gateway_serving()
    {
        var key = (await gateway.CreateKeyAsync("faults")).Key;
        using var client = new HttpClient { BaseAddress = gateway.Factory.Address, Timeout = Timeout.InfiniteTimeSpan };
        var failures = new List<string>();
        var counts = new List<(string Kind, int Cases)>();
        foreach (var group in FaultCases.All.GroupBy(c => c.Kind))
        {
            foreach (var fault in group)
            {
                failures.AddRange((await RunAsync(client, key, fault)).Select(problem => $"{fault}: {problem}"));
            }

            counts.Add((group.Key, group.Count()));
        }

        var storm = await StormAsync(client, key);
        failures.AddRange(storm.Problems.Select(problem => $"{FaultCases.ServerErrorStorm}: {problem}"));
        counts.Add((FaultCases.ServerErrorStorm, storm.Cases));

        foreach (var (kind, cases) in counts)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{kind,-26} {cases,3} cases"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Upstream-fault suite: {counts.Count} kinds, {counts.Sum(c => c.Cases)} cases, {failures.Count} failures"));
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    private async Task<List<string>> RunAsync(HttpClient client, string key, FaultCase fault)
    {
        var problems = new List<string>();
        try
        {
            var id = GeminiRequests.NewRequestId();
            var headers = new Dictionary<string, string>(fault.Steering, StringComparer.OrdinalIgnoreCase)
            {
                [FakeHeaders.SteerModel] = fault.FaultedModel,
            };
            if (fault.Raw is { } raw)
            {
                headers[RawFaultUpstream.FaultHeader] = raw.ToString();
            }

            FaultExchange seen;
            if (fault.Refused)
            {
                await gateway.Raw.RefuseAsync();
            }

            try
            {
                seen = await ExchangeAsync(client, key, fault.Model, fault.Stream, id, headers);
            }
            finally
            {
                if (fault.Refused)
                {
                    gateway.Raw.Accept();
                }
            }

            CheckClient(fault, seen, problems);
            await CheckUpstreamsAndRecordsAsync(fault, id, problems);
            // Every model of the chain serves again (a fault that failed both must not leave either one's breaker counting).
            foreach (var model in fault.Model == FaultCases.Flash31 ? [FaultCases.Flash31, FaultCases.Flash25] : new[] { fault.Model })
            {
                await CheckNextRequestAsync(client, key, model, problems);
            }
        }
        catch (Exception exception) when (exception is XunitException or TimeoutException or HttpRequestException)
        {
            problems.Add(exception.GetType().Name + ": " + exception.Message);
        }

        return problems;
    }

    private static void CheckClient(FaultCase fault, FaultExchange seen, List<string> problems)
    {
        var shown = $"status {seen.Status}, {seen.Body.Length} bytes, {(seen.Complete ? "complete" : "broken off: " + seen.Failure)}";
        switch (fault.Client)
        {
            case ClientEnd.Answer:
                Expect(seen.Status == 200 && seen.Complete && Encoding.UTF8.GetString(seen.Body).Contains("\"usageMetadata\"", StringComparison.Ordinal),
                    $"a complete answer with usage, got {shown}", problems);
                break;
            case ClientEnd.Error:
                Expect(seen.Status == fault.Status && seen.Complete && seen.ContentType == "application/json", $"a Gemini {fault.Status}, got {shown}", problems);
                if (seen.Status == fault.Status && seen.Complete)
                {
                    GeminiErrorAssert.IsError(Encoding.UTF8.GetString(seen.Body), fault.Status, GeminiError.StatusName(fault.Status));
                }

                break;
            case ClientEnd.PassedThrough:
                Expect(seen.Status == 200 && seen.Complete && seen.ContentType == fault.ContentType,
                    $"the upstream's {fault.ContentType} 200 as it came, got {shown} ({seen.ContentType})", problems);
                break;
            case ClientEnd.Cut:
                Expect(!seen.Complete, $"a cut, got {shown}", problems);
                break;
        }

        // Headers that arrived name the chain and the model that answered; a cut before the headers names nothing.
        if (seen.Status != 0)
        {
            Expect(seen.Fallback == fault.Fallback, $"x-gateway-fallback '{fault.Fallback}', got '{seen.Fallback}'", problems);
            Expect(seen.Served == fault.Served, $"x-gateway-model '{fault.Served}', got '{seen.Served}'", problems);
        }
    }

    private async Task CheckUpstreamsAndRecordsAsync(FaultCase fault, string id, List<string> problems)
    {
        var fake = gateway.UpstreamLedger(id).Select(entry => entry.Model ?? "?").ToArray();
        Expect(fake.SequenceEqual(fault.FakeModels), $"the fake asked for [{string.Join(", ", fault.FakeModels)}], got [{string.Join(", ", fake)}]", problems);
        var raw = gateway.Raw.Hits.Where(hit => hit.RequestId == id).Select(hit => hit.Model).ToArray();
        Expect(raw.SequenceEqual(fault.RawModels), $"the raw upstream faulted [{string.Join(", ", fault.RawModels)}], got [{string.Join(", ", raw)}]", problems);

        var records = await gateway.RecordsOfAsync(id);
        var own = records.Where(record => record.Outcome != UsageOutcome.Abandoned).ToArray();
        var abandoned = records.Where(record => record.Outcome == UsageOutcome.Abandoned).ToArray();
        if (own.Length != 1)
        {
            problems.Add($"expected one record of its own, got {own.Length}");
            return;
        }

        var mine = own[0];
        Expect((mine.Outcome, mine.CostBasis, mine.ChargebackCost > 0) == (fault.Outcome, fault.CostBasis, fault.Costs),
            $"a record {fault.Outcome}/{fault.CostBasis}/{(fault.Costs ? "at a cost" : "free")}, got {mine.Outcome}/{mine.CostBasis}/{mine.ChargebackCost}", problems);
        Expect(mine.FallbackChain == (fault.Fallback ?? string.Empty), $"the record's chain '{fault.Fallback}', got '{mine.FallbackChain}'", problems);
        Expect(abandoned.Length == fault.Abandoned, $"{fault.Abandoned} abandoned attempt records, got {abandoned.Length}", problems);
        Expect(abandoned.All(record => record.ServedModel == fault.FaultedModel && record.CostBasis == UsageCostBasis.Estimated && record.ChargebackCost > 0),
            "abandoned attempts of the faulted model at an estimated cost", problems);
    }

    /// <summary>After the fault, a valid request for the same model is served by that model, straight away.</summary>
    private async Task CheckNextRequestAsync(HttpClient client, string key, string model, List<string> problems)
    {
        var id = GeminiRequests.NewRequestId();
        var next = await ExchangeAsync(client, key, model, stream: false, id, new Dictionary<string, string>());
        Expect(next.Status == 200 && next.Complete && next.Served == model && next.Fallback is null,
            $"the next request served by {model}, got status {next.Status} from '{next.Served}' (chain '{next.Fallback}', {(next.Complete ? "complete" : next.Failure)})", problems);
        Expect(gateway.UpstreamLedger(id).Select(entry => entry.Model).SequenceEqual([model]), $"the next request asked of {model} only", problems);
    }

    /// <summary>
    /// Many 500/503 in a row for one model: each falls back before its first byte until the breaker opens; then the
    /// model is skipped without an upstream call (or, without fallback, refused at once); after the cooldown one probe
    /// closes it again.
    /// </summary>
    private async Task<(int Cases, List<string> Problems)> StormAsync(HttpClient client, string key)
    {
        var problems = new List<string>();
        var cases = 0;
        const string Flash31 = FaultCases.Flash31;
        const string Flash25 = FaultCases.Flash25;
        for (var i = 0; i < FaultFixture.BreakerThreshold + 3; i++)
        {
            var status = i % 2 == 0 ? "500" : "503";
            var open = i >= FaultFixture.BreakerThreshold;
            var id = GeminiRequests.NewRequestId();
            var seen = await ExchangeAsync(client, key, Flash31, stream: false, id, new Dictionary<string, string>
            {
                [FakeHeaders.Status] = status,
                [FakeHeaders.SteerModel] = Flash31,
            });
            var chain = open ? $"{Flash31} circuit-open -> {Flash25}" : $"{Flash31} {status} -> {Flash25}";
            Expect(seen.Status == 200 && seen.Complete && seen.Served == Flash25 && seen.Fallback == chain,
                $"request {i + 1}: a 200 from {Flash25} after '{chain}', got {seen.Status} from '{seen.Served}' after '{seen.Fallback}'", problems);
            var asked = gateway.UpstreamLedger(id).Select(entry => entry.Model).ToArray();
            Expect(asked.SequenceEqual(open ? [Flash25] : [Flash31, Flash25]), $"request {i + 1}: the fake asked for [{string.Join(", ", asked)}]", problems);
            var record = (await gateway.RecordsOfAsync(id)).Single();
            Expect((record.Outcome, record.FallbackChain, record.ServedModel) == (UsageOutcome.Complete, chain, Flash25),
                $"request {i + 1}: record {record.Outcome} served by {record.ServedModel} after '{record.FallbackChain}'", problems);
            cases++;
        }

        // Opted out of fallback while the breaker is open: the gateway's own 503, nothing asked, nothing billed.
        var refusedId = GeminiRequests.NewRequestId();
        var refused = await ExchangeAsync(client, key, Flash31, stream: false, refusedId, new Dictionary<string, string> { ["x-gateway-fallback"] = "off" });
        Expect(refused.Status == 503 && refused.Fallback == $"{Flash31} circuit-open", $"a 503 circuit-open without fallback, got {refused.Status} '{refused.Fallback}'", problems);
        Expect(gateway.UpstreamLedger(refusedId).Count == 0, "nothing asked of the upstream while the breaker is open", problems);
        var refusedRecord = (await gateway.RecordsOfAsync(refusedId)).Single();
        Expect((refusedRecord.Outcome, refusedRecord.ChargebackCost) == (UsageOutcome.UpstreamError, 0m), $"a free upstream_error record, got {refusedRecord.Outcome}/{refusedRecord.ChargebackCost}", problems);
        cases++;

        // Past the cooldown (on the gateway's clock, which the wait cannot outrun), a probe is let through and closes it.
        await Task.Delay(FaultFixture.BreakerCooldown + TimeSpan.FromMilliseconds(500));
        await CheckNextRequestAsync(client, key, Flash31, problems);
        await CheckNextRequestAsync(client, key, Flash31, problems);
        cases += 2;
        return (cases, problems);
    }

    private static async Task<FaultExchange> ExchangeAsync(HttpClient client, string key, string model, bool stream, string id, IReadOnlyDictionary<string, string> headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1beta/models/{model}:" + (stream ? "streamGenerateContent?alt=sse" : "generateContent"))
        {
            Content = new StringContent(GeminiRequests.TextOnlyBody, Encoding.UTF8, "application/json"),
        };
        GeminiRequests.WithIdentity(request, key, requestId: id);
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        using var guard = new CancellationTokenSource(HangGuard);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, guard.Token);
        }
        catch (HttpRequestException exception)
        {
            return new FaultExchange(0, null, null, null, [], false, exception.GetType().Name);
        }
        catch (OperationCanceledException) when (guard.IsCancellationRequested)
        {
            throw new XunitException($"no response within {HangGuard.TotalSeconds} s (hang guard)");
        }

        using (response)
        {
            var body = new MemoryStream();
            string? failure = null;
            try
            {
                await using var content = await response.Content.ReadAsStreamAsync(guard.Token);
                await content.CopyToAsync(body, guard.Token);
            }
            catch (Exception exception) when (exception is HttpRequestException or IOException)
            {
                failure = exception.GetType().Name;
            }
            catch (OperationCanceledException) when (guard.IsCancellationRequested)
            {
                throw new XunitException($"the body neither ended nor broke off within {HangGuard.TotalSeconds} s (hang guard)");
            }

            return new FaultExchange((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType,
                Header(response.Headers, "x-gateway-fallback"), Header(response.Headers, "x-gateway-model"), body.ToArray(), failure is null, failure);
        }
    }

    private static string? Header(HttpResponseHeaders headers, string name) => headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    private static void Expect(bool condition, string expectation, List<string> problems)
    {
        if (!condition)
        {
            problems.Add("expected " + expectation);
        }
    }
}

using System.Net;
using System.Text;

using Routescope.Fake;
using Routescope.Gateway.Exports;
using Routescope.Gateway.Tests.Infrastructure;
using Routescope.Gateway.Usage;

namespace Routescope.Gateway.Tests.Usage;

/// <summary>Every forwarded request leaves exactly one usage record, priced from the served model, whatever happened.</summary>
public sealed class UsageRecordTests(UsageFixture gateway) : IClassFixture<UsageFixture>
{
    private const string Flash25 = "gemini-2.5-flash-image";
    private const string Flash31 = "gemini-3.1-flash-image-preview";

    [Fact]
    public async Task A_completed_image_request_is_recorded_with_the_upstreams_usage_and_the_hand_computed_cost()
    {
        var key = await gateway.CreateKeyAsync("recorded", "discounted");
        using var request = GeminiRequests.Generate(key.Key, body: RequestBodies.Generate(aspectRatio: "16:9"));
        var id = GeminiRequests.RequestId(request);
        using var response = await gateway.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var record = Single(await gateway.RecordsAsync([id]), id);
        var billed = gateway.UpstreamLedger(id).Single().Billed;

        Assert.Equal(UsageOutcome.Complete, record.Outcome);
        Assert.Equal((key.Id, key.Prefix, "recorded", "discounted"), (record.KeyId, record.KeyPrefix, record.KeyName, record.KeyGroup));
        Assert.Equal((Flash25, Flash25, string.Empty), (record.RequestedModel, record.ServedModel, record.FallbackChain));
        Assert.Equal(("routescope", 200, (int?)200), (record.Channel, record.HttpStatus, record.UpstreamStatus));
        Assert.Equal(billed.PromptTokens, record.PromptTokens);
        Assert.Equal(billed.CandidatesTokens, record.CandidatesTokens);
        Assert.Equal(billed.TotalTokens, record.TotalTokens);
        Assert.Equal(billed.ImageTokens, record.OutputImageTokens);
        Assert.Equal(billed.TextTokens, record.OutputTextTokens);
        Assert.Equal(1, record.Images);
        Assert.Equal("STOP", record.FinishReasons);
        Assert.Equal("16:9", record.AspectRatio);
        Assert.Equal((0.30m, 2.50m, 30m, 1.1m, 0.8m), (record.InputPerMillion, record.OutputTextPerMillion, record.OutputImagePerMillion, record.ChannelRatio, record.GroupRatio));
        var expected = ((billed.PromptTokens * 0.30m) + (billed.TextTokens * 2.50m) + (billed.ImageTokens * 30m)) / 1_000_000m * 1.1m * 0.8m;
        Assert.Equal(expected, record.ChargebackCost);
        Assert.Equal("USD", record.Currency);
        Assert.True(record.BytesOut > 30_000 && record.BytesIn > 0);
        Assert.True(record.LatencyMs > 0 && record.TimeToFirstByteMs <= record.LatencyMs);
        Assert.Equal(Flash25, record.ModelVersion);
    }

    [Fact]
    public async Task A_request_without_size_or_ratio_is_recorded_with_the_served_models_defaults()
    {
        // The upstream generates at the model's default when the client names none; the record says which.
        var key = await gateway.CreateKeyAsync("defaults");
        using var pro = GeminiRequests.Generate(key.Key, model: "gemini-3-pro-image-preview", body: RequestBodies.Generate(), requestId: GeminiRequests.NewRequestId());
        using var flash = GeminiRequests.Generate(key.Key, body: RequestBodies.Generate(), requestId: GeminiRequests.NewRequestId());
        using var chosen = GeminiRequests.Generate(key.Key, model: "gemini-3-pro-image-preview", body: RequestBodies.Generate(aspectRatio: "9:16", imageSize: "4K"), requestId: GeminiRequests.NewRequestId());
        foreach (var request in new[] { pro, flash, chosen })
        {
            using var response = await gateway.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var ids = new[] { pro, flash, chosen }.Select(GeminiRequests.RequestId).ToArray();
        var records = await gateway.RecordsAsync(ids);

        Assert.Equal(("1K", "1:1"), (Single(records, ids[0]).ImageSize, Single(records, ids[0]).AspectRatio));
        Assert.Equal((null, "1:1"), (Single(records, ids[1]).ImageSize, Single(records, ids[1]).AspectRatio));
        Assert.Equal(("4K", "9:16"), (Single(records, ids[2]).ImageSize, Single(records, ids[2]).AspectRatio));
    }

    [Fact]
    public async Task Requests_reusing_one_request_id_are_each_recorded_and_charged()
    {
        // A client chooses x-request-id; reusing it (retries, a constant) must not make the second request free.
        var key = await gateway.CreateKeyAsync("reuser");
        var id = "reused-" + Guid.NewGuid().ToString("N");
        for (var i = 0; i < 2; i++)
        {
            using var request = GeminiRequests.Generate(key.Key, body: RequestBodies.Generate(), requestId: id);
            using var response = await gateway.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(id, response.Headers.GetValues("x-request-id").Single());
        }

        List<UsageRecord> records = [];
        await Eventually.TrueAsync(async () => (records = [.. (await gateway.RecordsAsync([id])).Where(r => r.RequestId == id)]).Count >= 2);

        Assert.Equal(2, records.Count);
        Assert.Equal(2, records.Select(r => r.RecordId).Distinct().Count());
        Assert.All(records, r => Assert.True(r.ChargebackCost > 0));
    }

    [Fact]
    public async Task A_stream_is_recorded_with_the_totals_of_its_last_event()
    {
        var key = await gateway.CreateKeyAsync("streamed");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1beta/models/{Flash25}:streamGenerateContent?alt=sse") { Content = new StringContent(GeminiRequests.TextOnlyBody, Encoding.UTF8, "application/json") };
        GeminiRequests.WithIdentity(request, key.Key);
        using var response = await gateway.Client.SendAsync(request);
        await response.Content.ReadAsStringAsync();

        var record = Single(await gateway.RecordsAsync([GeminiRequests.RequestId(request)]), GeminiRequests.RequestId(request));
        var billed = gateway.UpstreamLedger(GeminiRequests.RequestId(request)).Single().Billed;

        Assert.Equal(UsageOutcome.Complete, record.Outcome);
        Assert.Equal("streamGenerateContent", record.Operation);
        Assert.Equal(billed.TotalTokens, record.TotalTokens);
        Assert.Equal(billed.CandidatesTokens, record.CandidatesTokens);
    }

    [Fact]
    public async Task A_fallback_is_billed_at_the_served_models_prices_with_the_chain()
    {
        var key = await gateway.CreateKeyAsync("fell-back");
        using var request = GeminiRequests.Generate(key.Key, model: Flash31);
        var id = GeminiRequests.RequestId(request);
        gateway.Upstream.Script = r => r.Header("x-request-id") == id && r.Model == Flash31 ? new FakeScriptedResponse { StatusCode = 503 } : null;
        using var response = await gateway.Client.SendAsync(request);
        gateway.Upstream.Script = null;

        var record = Single(await gateway.RecordsAsync([id]), id);

        Assert.Equal((Flash31, Flash25), (record.RequestedModel, record.ServedModel));
        Assert.Equal($"{Flash31} 503 -> {Flash25}", record.FallbackChain);
        Assert.Equal((0.30m, 2.50m, 30m), (record.InputPerMillion, record.OutputTextPerMillion, record.OutputImagePerMillion));
        Assert.Equal(UsageOutcome.Complete, record.Outcome);
    }

    [Fact]
    public async Task An_upstream_error_is_recorded_as_such_at_no_cost()
    {
        var key = await gateway.CreateKeyAsync("errored");
        using var request = GeminiRequests.Generate(key.Key);
        request.Headers.Add(FakeHeaders.Status, "500");
        using var response = await gateway.Client.SendAsync(request);

        var record = Single(await gateway.RecordsAsync([GeminiRequests.RequestId(request)]), GeminiRequests.RequestId(request));

        Assert.Equal((UsageOutcome.UpstreamError, 500, 0m), (record.Outcome, record.HttpStatus, record.ChargebackCost));
    }

    [Fact]
    public async Task A_response_broken_off_mid_body_is_recorded_as_truncated()
    {
        var key = await gateway.CreateKeyAsync("truncated");
        using var request = GeminiRequests.Generate(key.Key);
        var id = GeminiRequests.RequestId(request);
        var partial = Encoding.UTF8.GetBytes("{\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":{\"data\":\"" + new string('A', 20_000));
        gateway.Upstream.Script = r => r.Header("x-request-id") == id ? new FakeScriptedResponse { StatusCode = 200, Body = partial, AbortAfterBodyBytes = 5_000 } : null;
        try
        {
            using var response = await gateway.Client.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
        }
        catch (HttpRequestException)
        {
        }

        gateway.Upstream.Script = null;

        Assert.Equal(UsageOutcome.Truncated, Single(await gateway.RecordsAsync([id]), id).Outcome);
    }

    [Fact]
    public async Task A_client_that_leaves_before_the_answer_is_billed_what_the_upstream_reports()
    {
        // The upstream generates and bills whether or not the client stays: the gateway keeps waiting for the answer,
        // reads its usage without forwarding it, and records it as the client's.
        var key = await gateway.CreateKeyAsync("impatient");
        using var request = GeminiRequests.Generate(key.Key);
        var id = GeminiRequests.RequestId(request);
        request.Headers.Add(FakeHeaders.DelayMs, "1500");
        using var leave = new CancellationTokenSource();

        var sending = gateway.Client.SendAsync(request, leave.Token);
        await Eventually.TrueAsync(() => gateway.Upstream.Received.Any(r => r.Header("x-request-id") == id));
        await leave.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);

        var record = Single(await gateway.RecordsAsync([id], TimeSpan.FromSeconds(20)), id);
        var issued = gateway.UpstreamLedger(id).Single().Billed;
        Assert.Equal((UsageOutcome.ClientAborted, UsageCostBasis.Measured), (record.Outcome, record.CostBasis));
        Assert.Equal((issued.TotalTokens, issued.ImageTokens), (record.TotalTokens, record.OutputImageTokens));
        Assert.True(record.ChargebackCost > 0);
    }

    [Fact]
    public async Task A_client_that_leaves_mid_image_is_billed_what_the_upstream_reports()
    {
        var key = await gateway.CreateKeyAsync("left-mid-body");
        using var request = GeminiRequests.Generate(key.Key);
        var id = GeminiRequests.RequestId(request);
        request.Headers.Add(FakeHeaders.ImageBytes, (6 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture));

        using (var response = await gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            await using var body = await response.Content.ReadAsStreamAsync();
            await body.ReadExactlyAsync(new byte[4096]);
        }

        var record = Single(await gateway.RecordsAsync([id], TimeSpan.FromSeconds(20)), id);
        var issued = gateway.UpstreamLedger(id).Single().Billed;
        Assert.Equal((UsageOutcome.ClientAborted, UsageCostBasis.Measured), (record.Outcome, record.CostBasis));
        Assert.Equal((issued.PromptTokens, issued.TotalTokens, issued.ImageTokens, 1), (record.PromptTokens, record.TotalTokens, record.OutputImageTokens, record.Images));
    }

    [Fact]
    public async Task An_answer_without_usage_metadata_is_flagged()
    {
        var key = await gateway.CreateKeyAsync("no-usage");
        using var request = GeminiRequests.Generate(key.Key);
        var id = GeminiRequests.RequestId(request);
        var blocked = Encoding.UTF8.GetBytes("""{"promptFeedback":{"blockReason":"SAFETY"}}""");
        gateway.Upstream.Script = r => r.Header("x-request-id") == id ? new FakeScriptedResponse { StatusCode = 200, Body = blocked } : null;
        using var response = await gateway.Client.SendAsync(request);
        gateway.Upstream.Script = null;

        var record = Single(await gateway.RecordsAsync([id]), id);

        // The upstream bills the prompt of an answer that reports no usage: it is estimated from the request, and the
        // record says so. No image came back, so none is estimated.
        Assert.Equal((UsageOutcome.NoUsage, UsageCostBasis.Estimated, "refusal"), (record.Outcome, record.CostBasis, record.Flags));
        Assert.Equal(0, record.OutputImageTokens);
        Assert.True(record.PromptTokens > 0);
        Assert.Equal(record.PromptTokens * 0.30m / 1_000_000m * 1.1m, record.ChargebackCost);
        Assert.Equal("PROMPT_BLOCKED:SAFETY", record.FinishReasons);
    }

    [Fact]
    public async Task A_safety_refusal_is_billed_as_reported_and_counted_per_key_in_the_summary()
    {
        // The upstream refused the image but billed the prompt and its thinking: spend that produced no image.
        var key = await gateway.CreateKeyAsync("refused-image");
        using var request = GeminiRequests.Generate(key.Key);
        var id = GeminiRequests.RequestId(request);
        request.Headers.Add(FakeHeaders.Refusal, FakeHeaders.Refusals.ImageSafety);
        request.Headers.Add(FakeHeaders.ThoughtsTokens, "80");
        using (var response = await gateway.Client.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var record = Single(await gateway.RecordsAsync([id]), id);
        var billed = gateway.UpstreamLedger(id).Single().Billed;
        Assert.Equal((UsageCostBasis.Measured, UsageFlags.Refusal, "IMAGE_SAFETY", 0), (record.CostBasis, record.Flags, record.FinishReasons, record.Images));
        Assert.Equal((billed.PromptTokens, billed.ThoughtsTokens), (record.PromptTokens, record.ThoughtsTokens));
        Assert.True(record.ChargebackCost > 0);

        using var admin = gateway.AdminClient();
        using var summary = System.Text.Json.JsonDocument.Parse(await admin.GetStringAsync(new Uri("/admin/usage/summary?from=2000-01-01&to=2100-01-01&groupBy=key", UriKind.Relative)));
        var row = summary.RootElement.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("keyId").GetString() == key.Id);
        Assert.Equal(1, row.GetProperty("refusals").GetInt64());
        Assert.Equal(ExportMoney.Round(record.ChargebackCost!.Value), decimal.Parse(row.GetProperty("chargebackMeasuredCost").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("0.0000000000", row.GetProperty("chargebackEstimatedCost").GetString());
    }

    [Fact]
    public async Task Requests_refused_by_the_gateway_leave_no_record()
    {
        var key = await gateway.CreateKeyAsync("refused");
        using var request = GeminiRequests.Generate(key.Key, body: RequestBodies.Generate(aspectRatio: "1:8"));
        using var response = await gateway.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        var all = await gateway.RecordsAsync([], TimeSpan.Zero);
        await Task.Delay(300);

        Assert.DoesNotContain((await gateway.RecordsAsync([], TimeSpan.Zero)).Concat(all), r => r.RequestId == GeminiRequests.RequestId(request));
    }

    private static UsageRecord Single(IReadOnlyList<UsageRecord> records, string id) => Assert.Single(records, r => r.RequestId == id);
}

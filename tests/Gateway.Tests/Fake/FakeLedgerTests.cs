using System.Net;
using System.Net.Http.Headers;

using Routescope.Fake;
using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Fake;

/// <summary>
/// The ledger is the upstream's invoice: what it generated and bills, per request, whether or not the caller stayed
/// for the answer. Only non-2xx answers (unauthorized ones too) and scripted answers bill nothing.
/// </summary>
public sealed class FakeLedgerTests(FakeUpstreamFixture fake) : IClassFixture<FakeUpstreamFixture>
{
    [Fact]
    public async Task A_complete_answer_is_billed_and_marked_delivered_in_full()
    {
        using var request = FakeCalls.Generate(headers: (FakeHeaders.Tag, "team-a"));
        using var response = await fake.Client.SendAsync(request);
        var usage = FakeBodies.Usage(await response.Content.ReadAsStringAsync());
        var entry = await fake.SettledAsync(GeminiRequests.RequestId(request));

        Assert.Equal(FakeDelivery.Full, entry.Delivery);
        Assert.True(entry.DeliveredInFull);
        Assert.Equal((FakeCalls.Flash25, "generateContent", 200, "STOP", false), (entry.Model, entry.Operation, entry.StatusCode, entry.FinishReason, entry.Scripted));
        Assert.Equal(("team-a", GeminiRequests.RequestId(request)), (entry.Tag, entry.RequestId));
        Assert.Equal(FakeBodies.Count(usage, "promptTokenCount"), entry.Billed.PromptTokens);
        Assert.Equal(FakeBodies.Count(usage, "totalTokenCount"), entry.Billed.TotalTokens);
        Assert.Equal((1L, 1290L, 12L), (entry.Billed.Images, entry.Billed.ImageTokens, entry.Billed.TextTokens));
    }

    [Fact]
    public async Task An_answer_whose_client_left_mid_body_is_billed_as_if_it_had_stayed()
    {
        using var stayed = FakeCalls.Generate(headers: (FakeHeaders.ImageBytes, "300000"));
        using (var answered = await fake.Client.SendAsync(stayed))
        {
            await answered.Content.ReadAsByteArrayAsync();
        }

        // Paced, so the fake is still generating when the caller goes.
        using var request = FakeCalls.Generate(headers: [(FakeHeaders.ImageBytes, "300000"), (FakeHeaders.PaceMs, "100")]);
        await LeavingClient.LeaveAfterAsync(request, fake.Upstream.BaseAddress, 1024);

        var left = await fake.SettledAsync(GeminiRequests.RequestId(request));
        var full = await fake.SettledAsync(GeminiRequests.RequestId(stayed));
        Assert.Equal(FakeDelivery.Partial, left.Delivery);
        Assert.False(left.DeliveredInFull);
        Assert.True(full.DeliveredInFull);
        Assert.Equal(full.Billed, left.Billed);
        Assert.Equal(1290, left.Billed.ImageTokens);
    }

    [Fact]
    public async Task A_stream_whose_client_left_is_billed_in_full()
    {
        using var request = FakeCalls.Stream(FakeCalls.Pro3, headers: [(FakeHeaders.ImageBytes, "200000"), (FakeHeaders.PaceMs, "100")]);
        await LeavingClient.LeaveAfterAsync(request, fake.Upstream.BaseAddress, 256);

        var entry = await fake.SettledAsync(GeminiRequests.RequestId(request));
        Assert.Equal(FakeDelivery.Partial, entry.Delivery);
        Assert.Equal((1L, 2L, 1120L, 2240L), (entry.Billed.Images, entry.Billed.ThoughtImages, entry.Billed.ImageTokens, entry.Billed.ThoughtsTokens));
    }

    [Fact]
    public async Task A_client_that_leaves_during_the_delay_is_billed_all_the_same()
    {
        using var request = FakeCalls.Generate(headers: (FakeHeaders.DelayMs, "5000"));
        var id = GeminiRequests.RequestId(request);
        using var leave = new CancellationTokenSource();
        var sending = fake.Client.SendAsync(request, leave.Token);
        await Eventually.TrueAsync(() => fake.Upstream.Ledger.Any(e => e.RequestId == id));

        // While the upstream works, its ledger already holds the request and what it will bill.
        var pending = fake.Upstream.Ledger.Single(e => e.RequestId == id);
        Assert.Equal(FakeDelivery.Pending, pending.Delivery);
        await leave.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);

        var entry = await fake.SettledAsync(id);
        Assert.Equal(FakeDelivery.None, entry.Delivery);
        Assert.Equal(pending.Billed, entry.Billed);
        Assert.Equal(1290, entry.Billed.ImageTokens);
    }

    [Theory]
    [InlineData("400")]
    [InlineData("404")]
    [InlineData("500")]
    [InlineData("503")]
    public async Task A_non_2xx_answer_bills_nothing(string status)
    {
        using var request = FakeCalls.Generate(headers: (FakeHeaders.Status, status));
        using var response = await fake.Client.SendAsync(request);
        var entry = await fake.SettledAsync(GeminiRequests.RequestId(request));

        Assert.Equal(status, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(FakeBill.None, entry.Billed);
        Assert.Null(entry.FinishReason);
    }

    [Fact]
    public async Task An_unauthorized_request_bills_nothing_whatever_it_steers()
    {
        using var request = FakeCalls.Generate(headers: (FakeHeaders.DelayMs, "3000"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-key");
        using var response = await fake.Client.SendAsync(request);
        var entry = await fake.SettledAsync(GeminiRequests.RequestId(request));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal((401, FakeBill.None), (entry.StatusCode, entry.Billed));
    }

    [Fact]
    public async Task An_unknown_path_bills_nothing()
    {
        using var request = FakeCalls.Build($"/v1beta/models/{FakeCalls.Flash25}:embedContent", FakeCalls.Body, []);
        using var response = await fake.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(FakeBill.None, (await fake.SettledAsync(GeminiRequests.RequestId(request))).Billed);
    }

    [Fact]
    public async Task A_scripted_answer_bills_nothing_and_is_marked_scripted()
    {
        using var request = FakeCalls.Generate();
        var id = GeminiRequests.RequestId(request);
        fake.Upstream.Script = r => r.Header("x-request-id") == id ? new FakeScriptedResponse { StatusCode = 200, Body = "{}"u8.ToArray() } : null;
        try
        {
            using var response = await fake.Client.SendAsync(request);
            Assert.Equal("{}", await response.Content.ReadAsStringAsync());
        }
        finally
        {
            fake.Upstream.Script = null;
        }

        var entry = await fake.SettledAsync(id);
        Assert.True(entry.Scripted);
        Assert.Equal((200, FakeBill.None, FakeDelivery.Full), (entry.StatusCode, entry.Billed, entry.Delivery));
    }

    [Fact]
    public async Task The_ledger_sums_bills_per_tag_and_per_model()
    {
        var tag = "sum-" + Guid.NewGuid().ToString("N");
        var sent = new[] { (tag + "-a", FakeCalls.Flash25), (tag + "-a", FakeCalls.Pro3), (tag + "-b", FakeCalls.Flash31), (tag + "-b", FakeCalls.Flash31) };
        foreach (var (team, model) in sent)
        {
            using var request = FakeCalls.Generate(model, headers: (FakeHeaders.Tag, team));
            using var response = await fake.Client.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
        }

        using (var failed = FakeCalls.Generate(headers: [(FakeHeaders.Tag, tag + "-b"), (FakeHeaders.Status, "500")]))
        using (var response = await fake.Client.SendAsync(failed))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        }

        await Eventually.TrueAsync(() => fake.Upstream.Ledger.Count(e => e.Tag?.StartsWith(tag, StringComparison.Ordinal) == true && e.Delivery != FakeDelivery.Pending) == 5);
        var mine = fake.Upstream.Ledger.Where(e => e.Tag?.StartsWith(tag, StringComparison.Ordinal) == true).ToArray();
        var byTag = mine.BilledBy(e => e.Tag!);
        var byModel = mine.BilledBy(e => e.Model!);

        Assert.Equal(2 * 1120, byTag[tag + "-b"].ImageTokens);
        Assert.Equal(1290 + 1120, byTag[tag + "-a"].ImageTokens);
        Assert.Equal(2 * 1120, byTag[tag + "-a"].ThoughtsTokens);
        Assert.Equal(mine.Where(e => e.Model == FakeCalls.Flash31).Sum(e => e.Billed.TotalTokens), byModel[FakeCalls.Flash31].TotalTokens);
        Assert.Equal(byTag.Values.Sum(b => b.TotalTokens), byModel.Values.Sum(b => b.TotalTokens));
        Assert.Equal(4, byTag.Values.Sum(b => b.Images));
    }

    [Fact]
    public async Task Token_counts_and_model_lists_bill_nothing()
    {
        using var count = FakeCalls.Build($"/v1beta/models/{FakeCalls.Flash25}:countTokens", FakeCalls.Body, []);
        using var list = FakeCalls.Build("/v1beta/models", null, [], HttpMethod.Get);
        using var model = FakeCalls.Build($"/v1beta/models/{FakeCalls.Pro3}", null, [], HttpMethod.Get);
        foreach (var request in new[] { count, list, model })
        {
            using var response = await fake.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        foreach (var request in new[] { count, list, model })
        {
            Assert.Equal(FakeBill.None, (await fake.SettledAsync(GeminiRequests.RequestId(request))).Billed);
        }
    }

    [Fact]
    public async Task Received_lists_the_requests_of_the_ledger()
    {
        using var request = FakeCalls.Generate(headers: ("x-test-header", "kept"));
        using var response = await fake.Client.SendAsync(request);
        var entry = await fake.SettledAsync(GeminiRequests.RequestId(request));

        Assert.Contains(fake.Upstream.Received, r => ReferenceEquals(r, entry.Request));
        Assert.Equal("kept", entry.Request.Header("x-test-header"));
    }
}

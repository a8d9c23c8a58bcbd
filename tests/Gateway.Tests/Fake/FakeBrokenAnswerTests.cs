using System.Net;
using System.Text;

using Routescope.Fake;
using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Fake;

/// <summary>Answers that break off, and errors that show usage: the upstream bills the first and not the second.</summary>
public sealed class FakeBrokenAnswerTests(FakeUpstreamFixture fake) : IClassFixture<FakeUpstreamFixture>
{
    [Fact]
    public async Task A_stream_broken_after_two_events_delivers_exactly_two_and_is_billed_in_full()
    {
        using var whole = FakeCalls.Stream();
        using (var answered = await fake.Client.SendAsync(whole))
        {
            await answered.Content.ReadAsStringAsync();
        }

        using var request = FakeCalls.Stream(headers: (FakeHeaders.BreakAfterEvents, "2"));
        using var response = await fake.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var (raw, broke) = await FakeBodies.ReadUntilBrokenAsync(response);
        var entry = await fake.SettledAsync(GeminiRequests.RequestId(request));

        Assert.True(broke);
        Assert.Equal(2, FakeBodies.SseData(Encoding.UTF8.GetString(raw)).Count);
        Assert.Equal(FakeDelivery.Partial, entry.Delivery);
        Assert.Equal((await fake.SettledAsync(GeminiRequests.RequestId(whole))).Billed, entry.Billed);
    }

    [Fact]
    public async Task An_answer_broken_after_n_bytes_delivers_exactly_n()
    {
        using var request = FakeCalls.Generate(headers: (FakeHeaders.BreakAfterBytes, "5000"));
        using var response = await fake.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var (raw, broke) = await FakeBodies.ReadUntilBrokenAsync(response);
        var entry = await fake.SettledAsync(GeminiRequests.RequestId(request));

        Assert.True(broke);
        Assert.Equal(5000, raw.Length);
        Assert.Equal(FakeDelivery.Partial, entry.Delivery);
        Assert.Equal(1290, entry.Billed.ImageTokens);
    }

    [Fact]
    public async Task The_byte_limit_counts_bytes_as_sent_after_compression()
    {
        using var request = FakeCalls.Generate(headers: [(FakeHeaders.BreakAfterBytes, "3000"), (FakeHeaders.Encoding, FakeHeaders.Encodings.Gzip)]);
        using var response = await fake.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var (raw, broke) = await FakeBodies.ReadUntilBrokenAsync(response);

        Assert.True(broke);
        Assert.Equal(3000, raw.Length);
        Assert.Equal([0x1F, 0x8B], raw[..2]);
    }

    [Fact]
    public async Task Breaking_after_no_event_sends_headers_only()
    {
        using var request = FakeCalls.Stream(headers: (FakeHeaders.BreakAfterEvents, "0"));
        using var response = await fake.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var (raw, broke) = await FakeBodies.ReadUntilBrokenAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(broke);
        Assert.Empty(raw);
        Assert.NotEqual(FakeBill.None, (await fake.SettledAsync(GeminiRequests.RequestId(request))).Billed);
    }

    [Fact]
    public async Task A_limit_beyond_the_answer_breaks_nothing()
    {
        using var request = FakeCalls.Generate(headers: [(FakeHeaders.BreakAfterBytes, "10000000"), (FakeHeaders.BreakAfterEvents, "5")]);
        using var response = await fake.Client.SendAsync(request);
        System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).Dispose();

        Assert.True((await fake.SettledAsync(GeminiRequests.RequestId(request))).DeliveredInFull);
    }

    [Theory]
    [InlineData(429, "RESOURCE_EXHAUSTED", false)]
    [InlineData(500, "INTERNAL", false)]
    [InlineData(503, "UNAVAILABLE", true)]
    public async Task An_error_whose_body_shows_usage_bills_nothing(int status, string rpcStatus, bool stream)
    {
        var headers = new[] { (FakeHeaders.Status, status.ToString(System.Globalization.CultureInfo.InvariantCulture)), (FakeHeaders.ErrorUsage, "true") };
        using var request = stream ? FakeCalls.Stream(headers: headers) : FakeCalls.Generate(headers: headers);
        using var response = await fake.Client.SendAsync(request);
        var json = await response.Content.ReadAsStringAsync();
        var entry = await fake.SettledAsync(GeminiRequests.RequestId(request));

        Assert.Equal(status, (int)response.StatusCode);
        GeminiErrorAssert.IsError(json, status, rpcStatus);
        Assert.True(FakeBodies.Count(FakeBodies.Usage(json), "totalTokenCount") > 1290);
        Assert.Equal((status, FakeBill.None, (string?)null), (entry.StatusCode, entry.Billed, entry.FinishReason));
        Assert.True(entry.DeliveredInFull);
    }

    [Fact]
    public async Task An_error_shows_no_usage_unless_steered()
    {
        using var request = FakeCalls.Generate(headers: (FakeHeaders.Status, "500"));
        using var response = await fake.Client.SendAsync(request);

        Assert.DoesNotContain("usageMetadata", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_compressed_error_is_compressed_like_any_answer()
    {
        using var request = FakeCalls.Generate(headers: [(FakeHeaders.Status, "503"), (FakeHeaders.ErrorUsage, "true")]);
        request.Headers.Add("Accept-Encoding", "gzip");
        using var response = await fake.Client.SendAsync(request);
        var raw = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        Assert.Contains("usageMetadata", FakeBodies.Decode(raw, "gzip"), StringComparison.Ordinal);
    }
}

using System.Net;
using System.Text;

using Routescope.Fake;
using Routescope.Gateway.Tests.Infrastructure;
using Routescope.Gateway.Tests.Usage;
using Routescope.Gateway.Usage;

namespace Routescope.Gateway.Tests.Metering;

/// <summary>Through the gateway: a compressed answer is metered, and the client gets the upstream's bytes as they were.</summary>
public sealed class PassthroughUpstreamFixture : UsageFixture
{
    protected override GatewayFactory CreateFactory(Dictionary<string, string?> settings)
    {
        settings["Upstream:AcceptEncoding"] = "Passthrough";
        return base.CreateFactory(settings);
    }
}

public sealed class CompressedAnswerTests(PassthroughUpstreamFixture gateway) : IClassFixture<PassthroughUpstreamFixture>
{
    private const string Answer = """
        {"candidates":[{"content":{"parts":[{"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgoAAAANSUhEUg=="}}]},"finishReason":"STOP"}],
         "usageMetadata":{"promptTokenCount":12,"candidatesTokenCount":1290,"totalTokenCount":1302,"candidatesTokensDetails":[{"modality":"IMAGE","tokenCount":1290}]},"modelVersion":"gemini-2.5-flash-image"}
        """;

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    [InlineData("br")]
    public async Task An_answer_the_upstream_compressed_as_the_client_asked_is_billed_as_the_upstream_bills_it(string encoding)
    {
        var key = await gateway.CreateKeyAsync("sdk-" + encoding);
        using var request = GeminiRequests.Generate(key.Key);
        var id = GeminiRequests.RequestId(request);
        request.Headers.TryAddWithoutValidation("Accept-Encoding", encoding);
        using (var response = await gateway.Client.SendAsync(request))
        {
            Assert.Equal([encoding], response.Content.Headers.ContentEncoding);
            await response.Content.ReadAsByteArrayAsync();
        }

        var record = Assert.Single(await gateway.RecordsAsync([id]), r => r.RequestId == id);
        var billed = gateway.UpstreamLedger(id).Single().Billed;

        Assert.Equal((UsageOutcome.Complete, UsageCostBasis.Measured), (record.Outcome, record.CostBasis));
        Assert.Equal((billed.PromptTokens, billed.CandidatesTokens, billed.ImageTokens, billed.TotalTokens), (record.PromptTokens, record.CandidatesTokens, record.OutputImageTokens, record.TotalTokens));
        Assert.True(record.ChargebackCost > 0);
    }

    [Theory]
    [InlineData("zstd, gzip;q=0.5", "gzip; q=0.5")]
    [InlineData("zstd", "identity")]
    [InlineData("*", "identity")]
    public async Task Only_codings_metering_can_read_are_offered_to_the_upstream(string accepted, string forwarded)
    {
        var key = await gateway.CreateKeyAsync("picky");
        using var request = GeminiRequests.Generate(key.Key);
        var id = GeminiRequests.RequestId(request);
        request.Headers.TryAddWithoutValidation("Accept-Encoding", accepted);
        using (var response = await gateway.Client.SendAsync(request))
        {
            await response.Content.ReadAsByteArrayAsync();
        }

        var record = Assert.Single(await gateway.RecordsAsync([id]), r => r.RequestId == id);

        Assert.Equal(forwarded, gateway.UpstreamLedger(id).Single().Request.Header("Accept-Encoding"));
        Assert.Equal(UsageCostBasis.Measured, record.CostBasis);
    }

    [Fact]
    public async Task A_gzip_answer_is_metered_and_reaches_the_client_unchanged()
    {
        var key = await gateway.CreateKeyAsync("gzipped");
        var gzipped = WireBodies.Encode(Answer, "gzip");
        using var request = GeminiRequests.Generate(key.Key);
        var id = GeminiRequests.RequestId(request);
        gateway.Upstream.Script = r => r.Header("x-request-id") == id ? Scripted(gzipped, "gzip") : null;
        byte[] received;
        using (var response = await gateway.Client.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
            received = await response.Content.ReadAsByteArrayAsync();
        }

        gateway.Upstream.Script = null;
        var record = Assert.Single(await gateway.RecordsAsync([id]), r => r.RequestId == id);

        Assert.Equal(gzipped, received);
        Assert.Equal(UsageOutcome.Complete, record.Outcome);
        Assert.Equal((12L, 1290L, 1302L, 1290L), (record.PromptTokens, record.CandidatesTokens, record.TotalTokens, record.OutputImageTokens));
        Assert.Equal(1, record.Images);
        Assert.Equal(gzipped.Length, record.BytesOut);
        Assert.True(record.ChargebackCost > 0);
    }

    [Fact]
    public async Task An_answer_in_an_encoding_it_cannot_read_is_logged_once_as_unmetered()
    {
        var key = await gateway.CreateKeyAsync("zstd");
        var body = Encoding.UTF8.GetBytes(Answer);
        using var request = GeminiRequests.Generate(key.Key);
        var id = GeminiRequests.RequestId(request);
        gateway.Upstream.Script = r => r.Header("x-request-id") == id ? Scripted(body, "zstd") : null;
        using (var response = await gateway.Client.SendAsync(request))
        {
            Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
        }

        gateway.Upstream.Script = null;
        var record = Assert.Single(await gateway.RecordsAsync([id]), r => r.RequestId == id);
        var warnings = gateway.Logs.Lines.Where(line => line.Contains("\"Id\":7001", StringComparison.Ordinal) && line.Contains("zstd", StringComparison.Ordinal)).ToArray();

        // Never silently free: the cost is an estimate from the request (its prompt, the image it asked for).
        Assert.Equal((Routescope.Gateway.Usage.UsageCostBasis.Unmetered, 1290L), (record.CostBasis, record.OutputImageTokens));
        Assert.True(record.ChargebackCost > 0);
        var warning = Assert.Single(warnings);
        Assert.DoesNotContain("usageMetadata", warning, StringComparison.Ordinal);
    }

    private static FakeScriptedResponse Scripted(byte[] body, string contentEncoding) => new()
    {
        StatusCode = 200,
        Body = body,
        Headers = new Dictionary<string, string> { ["Content-Encoding"] = contentEncoding },
    };
}

/// <summary>By default (<c>Upstream:AcceptEncoding=Identity</c>) the upstream is asked not to compress, whatever the client accepts.</summary>
public sealed class IdentityUpstreamTests(UsageFixture gateway) : IClassFixture<UsageFixture>
{
    [Fact]
    public async Task An_upstream_that_compresses_regardless_is_still_metered()
    {
        var key = await gateway.CreateKeyAsync("compresses-anyway");
        using var request = GeminiRequests.Generate(key.Key);
        var id = GeminiRequests.RequestId(request);
        request.Headers.TryAddWithoutValidation(FakeHeaders.Encoding, FakeHeaders.Encodings.Brotli);
        using (var response = await gateway.Client.SendAsync(request))
        {
            Assert.Equal(["br"], response.Content.Headers.ContentEncoding);
            await response.Content.ReadAsByteArrayAsync();
        }

        var record = Assert.Single(await gateway.RecordsAsync([id]), r => r.RequestId == id);

        Assert.Equal((UsageCostBasis.Measured, gateway.UpstreamLedger(id).Single().Billed.TotalTokens), (record.CostBasis, record.TotalTokens));
    }

    [Fact]
    public async Task The_upstream_is_asked_for_identity_and_the_answer_is_metered()
    {
        var key = await gateway.CreateKeyAsync("identity");
        using var request = GeminiRequests.Generate(key.Key);
        var id = GeminiRequests.RequestId(request);
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, br");
        using (var response = await gateway.Client.SendAsync(request))
        {
            Assert.Empty(response.Content.Headers.ContentEncoding);
            await response.Content.ReadAsByteArrayAsync();
        }

        var record = Assert.Single(await gateway.RecordsAsync([id]), r => r.RequestId == id);
        var entry = gateway.UpstreamLedger(id).Single();

        Assert.Equal("identity", entry.Request.Header("Accept-Encoding"));
        Assert.Null(entry.ContentEncoding);
        Assert.Equal(entry.Billed.TotalTokens, record.TotalTokens);
    }
}

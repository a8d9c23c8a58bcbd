using System.Text;
using System.Text.Json;

using Routescope.Fake;
using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Fake;

/// <summary>The fake compresses generate answers as a real server does when asked, and as a careless one does when not.</summary>
public sealed class FakeCompressionTests(FakeUpstreamFixture fake) : IClassFixture<FakeUpstreamFixture>
{
    [Fact]
    public async Task A_gzip_answer_decodes_to_valid_json_with_the_billed_usage()
    {
        using var request = FakeCalls.Generate();
        request.Headers.Add("Accept-Encoding", "gzip, deflate");
        using var response = await fake.Client.SendAsync(request);
        var raw = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        Assert.Equal([0x1F, 0x8B], raw[..2]);
        var usage = FakeBodies.Usage(FakeBodies.Decode(raw, "gzip"));
        var entry = await fake.SettledAsync(GeminiRequests.RequestId(request));
        Assert.Equal(entry.Billed.PromptTokens, FakeBodies.Count(usage, "promptTokenCount"));
        Assert.Equal(entry.Billed.CandidatesTokens, FakeBodies.Count(usage, "candidatesTokenCount"));
        Assert.Equal(entry.Billed.TotalTokens, FakeBodies.Count(usage, "totalTokenCount"));
        Assert.Equal("gzip", entry.ContentEncoding);
        Assert.True(entry.DeliveredInFull);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("identity", null)]
    [InlineData("compress", null)]
    [InlineData("gzip", "gzip")]
    [InlineData("deflate", "deflate")]
    [InlineData("br", "br")]
    [InlineData("gzip, deflate, br", "br")]
    [InlineData("gzip, deflate", "gzip")]
    [InlineData("gzip;q=1.0, br;q=0.5", "gzip")]
    [InlineData("deflate;q=0.9, gzip;q=0.8", "deflate")]
    [InlineData("br;q=0, gzip;q=0.2", "gzip")]
    [InlineData("*", "br")]
    [InlineData("gzip;q=0, *;q=0.3", "br")]
    [InlineData("br;q=0, gzip;q=0, *;q=0.5", "deflate")]
    [InlineData("identity;q=1, gzip;q=0.5", null)]
    [InlineData("gzip;q=0", null)]
    public async Task The_coding_is_chosen_by_q_values_then_by_server_preference(string? acceptEncoding, string? expected)
    {
        using var request = FakeCalls.Generate();
        if (acceptEncoding is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        }

        using var response = await fake.Client.SendAsync(request);
        var raw = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(expected, response.Content.Headers.ContentEncoding.SingleOrDefault());
        Assert.Contains("usageMetadata", FakeBodies.Decode(raw, expected), StringComparison.Ordinal);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
    }

    [Fact]
    public async Task Deflate_means_the_zlib_format()
    {
        using var request = FakeCalls.Generate();
        request.Headers.Add("Accept-Encoding", "deflate");
        using var response = await fake.Client.SendAsync(request);
        var raw = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(0x78, raw[0]);
        Assert.Equal(0, ((raw[0] * 256) + raw[1]) % 31);
        JsonDocument.Parse(FakeBodies.Decode(raw, "deflate")).Dispose();
    }

    [Fact]
    public async Task Raw_deflate_is_labelled_deflate_but_has_no_zlib_header()
    {
        using var request = FakeCalls.Generate(headers: (FakeHeaders.Encoding, FakeHeaders.Encodings.RawDeflate));
        using var response = await fake.Client.SendAsync(request);
        var raw = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(["deflate"], response.Content.Headers.ContentEncoding);
        Assert.False((raw[0] & 0x0F) == 8 && ((raw[0] * 256) + raw[1]) % 31 == 0, "the body starts with a zlib header");
        Assert.Contains("usageMetadata", FakeBodies.Decode(raw, "deflate", rawDeflate: true), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Zstd_is_only_a_label_on_bytes_nothing_can_read()
    {
        using var request = FakeCalls.Generate(headers: (FakeHeaders.Encoding, FakeHeaders.Encodings.Zstd));
        request.Headers.Add("Accept-Encoding", "gzip");
        using var response = await fake.Client.SendAsync(request);
        var raw = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(["zstd"], response.Content.Headers.ContentEncoding);
        Assert.Equal([0x28, 0xB5, 0x2F, 0xFD], raw[..4]);
        Assert.DoesNotContain("usageMetadata", Encoding.UTF8.GetString(raw), StringComparison.Ordinal);
        // The scrambling is only there to be unreadable; undone, the answer is the normal one.
        var plain = Encoding.UTF8.GetString([.. raw[4..].Select(b => (byte)(b ^ 0x5A))]);
        Assert.Equal(FakeBodies.Count(FakeBodies.Usage(plain), "totalTokenCount"), (await fake.SettledAsync(GeminiRequests.RequestId(request))).Billed.TotalTokens);
    }

    [Theory]
    [InlineData(FakeHeaders.Encodings.Gzip, "gzip")]
    [InlineData(FakeHeaders.Encodings.Brotli, "br")]
    [InlineData(FakeHeaders.Encodings.Deflate, "deflate")]
    public async Task A_forced_coding_is_sent_to_a_client_that_did_not_ask(string forced, string label)
    {
        using var request = FakeCalls.Generate(headers: (FakeHeaders.Encoding, forced));
        using var response = await fake.Client.SendAsync(request);
        var raw = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal([label], response.Content.Headers.ContentEncoding);
        Assert.Contains("usageMetadata", FakeBodies.Decode(raw, label), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forced_identity_ignores_accept_encoding()
    {
        using var request = FakeCalls.Generate(headers: (FakeHeaders.Encoding, FakeHeaders.Encodings.Identity));
        request.Headers.Add("Accept-Encoding", "gzip, br");
        using var response = await fake.Client.SendAsync(request);

        Assert.Empty(response.Content.Headers.ContentEncoding);
        JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync()).Dispose();
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    [InlineData("deflate")]
    public async Task A_compressed_sse_stream_decodes_to_every_event_with_the_totals_last(string coding)
    {
        using var request = FakeCalls.Stream();
        request.Headers.Add("Accept-Encoding", coding);
        using var response = await fake.Client.SendAsync(request);
        var raw = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal([coding], response.Content.Headers.ContentEncoding);
        var events = FakeBodies.SseData(FakeBodies.Decode(raw, coding));
        Assert.True(events.Count >= 3);
        var entry = await fake.SettledAsync(GeminiRequests.RequestId(request));
        Assert.Equal(entry.Billed.TotalTokens, FakeBodies.Count(FakeBodies.Usage(events[^1]), "totalTokenCount"));
    }

    [Fact]
    public async Task A_compressed_stream_is_flushed_event_by_event()
    {
        // Broken after the first event: if the compressor held that event back, nothing would decode.
        using var request = FakeCalls.Stream(headers: (FakeHeaders.BreakAfterEvents, "1"));
        request.Headers.Add("Accept-Encoding", "gzip");
        using var response = await fake.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var (raw, broke) = await FakeBodies.ReadUntilBrokenAsync(response);

        Assert.True(broke);
        var events = FakeBodies.SseData(FakeBodies.DecodePrefix(raw, "gzip"));
        var first = Assert.Single(events);
        Assert.Equal("Here is", FakeBodies.Parts(first)[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_compressed_json_array_stream_decodes_to_the_whole_array()
    {
        using var request = FakeCalls.Stream(sse: false);
        request.Headers.Add("Accept-Encoding", "gzip");
        using var response = await fake.Client.SendAsync(request);
        var raw = await response.Content.ReadAsByteArrayAsync();

        using var array = JsonDocument.Parse(FakeBodies.Decode(raw, "gzip"));
        Assert.True(array.RootElement.GetArrayLength() >= 3);
    }

    [Fact]
    public async Task Model_lists_and_token_counts_are_not_compressed()
    {
        using var list = FakeCalls.Build("/v1beta/models", null, [], HttpMethod.Get);
        list.Headers.Add("Accept-Encoding", "gzip");
        using var count = FakeCalls.Build($"/v1beta/models/{FakeCalls.Flash25}:countTokens", FakeCalls.Body, []);
        count.Headers.Add("Accept-Encoding", "gzip");

        using var listed = await fake.Client.SendAsync(list);
        using var counted = await fake.Client.SendAsync(count);

        Assert.Empty(listed.Content.Headers.ContentEncoding);
        Assert.Empty(counted.Content.Headers.ContentEncoding);
        Assert.Equal(FakeBill.None, (await fake.SettledAsync(GeminiRequests.RequestId(count))).Billed);
    }
}

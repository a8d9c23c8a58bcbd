using System.Text;

using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

using Routescope.Gateway.Metering;

using static Routescope.Gateway.Tests.Metering.WireBodies;

namespace Routescope.Gateway.Tests.Metering;

/// <summary>A compressed answer is metered from a decoded copy; the client still gets the upstream's bytes.</summary>
public sealed class ContentDecodingTests
{
    private const string Body = """
        {"candidates":[{"content":{"parts":[{"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgoAAAANSUhEUg=="}}]},"finishReason":"STOP"}],
         "usageMetadata":{"promptTokenCount":12,"candidatesTokenCount":1290,"totalTokenCount":1302,"candidatesTokensDetails":[{"modality":"IMAGE","tokenCount":1290}]},"modelVersion":"gemini-2.5-flash-image"}
        """;

    [Theory]
    [InlineData("gzip", "gzip")]
    [InlineData("gzip", "x-gzip")]
    [InlineData("gzip", "GZip")]
    [InlineData("zlib deflate", "deflate")]
    [InlineData("raw deflate", "deflate")]
    [InlineData("br", "br")]
    [InlineData("identity", "identity")]
    [InlineData("gzip", "identity, gzip")]
    public void A_compressed_body_is_metered_from_its_decoded_bytes(string coding, string header)
    {
        var wire = Encode(Body, coding);

        var seen = Tap(wire, header, "application/json");

        Assert.False(seen.Unmetered);
        Assert.Equal(header, seen.ContentEncoding);
        Assert.Equal(wire.Length, seen.Bytes);
        Assert.Equal((12, 1290, 1302), (seen.Usage!.PromptTokens, seen.Usage.OutputImageTokens, seen.Usage.TotalTokens));
        Assert.Equal(1, seen.Images);
        Assert.True(seen.Balanced);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("zlib deflate")]
    [InlineData("raw deflate")]
    [InlineData("br")]
    public void A_compressed_body_written_a_byte_at_a_time_reads_the_same(string coding)
    {
        var wire = Encode(Body, coding);

        var seen = Tap(wire, Header(coding), null, [1]);

        Assert.Equal(Describe(Tap(Body) with { Bytes = 0 }), Describe(seen with { Bytes = 0, ContentEncoding = null }));
    }

    [Fact]
    public void Concatenated_gzip_members_are_all_read()
    {
        var first = Encode("[" + Body + ",", "gzip");
        var second = Encode(Body.Replace("1302", "2000", StringComparison.Ordinal) + "]", "gzip");

        var seen = Tap([.. first, .. second], "gzip", null, [7]);

        Assert.Equal(2, seen.Images);
        Assert.Equal(2000, seen.Usage!.TotalTokens);
        Assert.True(seen.Balanced);
    }

    [Theory]
    [InlineData("zstd")]
    [InlineData("compress")]
    [InlineData("gzip, br")]
    [InlineData("br, br")]
    public void An_encoding_it_cannot_undo_leaves_the_response_unmetered(string header)
    {
        var seen = Tap(Encoding.UTF8.GetBytes(Body), header, "application/json");

        Assert.True(seen.Unmetered);
        Assert.Equal(header, seen.ContentEncoding);
        Assert.Null(seen.Usage);
        Assert.Equal(Encoding.UTF8.GetByteCount(Body), seen.Bytes);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("zlib deflate")]
    [InlineData("br")]
    public void A_corrupt_stream_leaves_the_response_unmetered(string coding)
    {
        var wire = Encode(Body, coding);
        for (var i = wire.Length / 3; i < wire.Length * 2 / 3; i++)
        {
            wire[i] = 0xFF;
        }

        var seen = Tap(wire, Header(coding), null, [16]);

        Assert.True(seen.Unmetered);
        Assert.Equal(wire.Length, seen.Bytes);
    }

    [Fact]
    public void A_body_that_is_not_gzip_at_all_is_unmetered()
    {
        var seen = Tap(Encoding.UTF8.GetBytes(Body), "gzip", "application/json");

        Assert.True(seen.Unmetered);
        Assert.Equal("gzip", seen.ContentEncoding);
    }

    [Fact]
    public void A_body_without_an_encoding_reports_none()
    {
        var seen = Tap(Encoding.UTF8.GetBytes(Body));

        Assert.Null(seen.ContentEncoding);
        Assert.False(seen.Unmetered);
    }

    [Theory]
    [InlineData("identity")]
    [InlineData("gzip")]
    [InlineData("br")]
    public void A_20_mb_image_is_read_in_bounded_memory(string coding)
    {
        var image = new string('Q', 20 * 1024 * 1024);
        var wire = Encode("{\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":{\"data\":\"" + image + "\"}}]}}],\"usageMetadata\":{\"totalTokenCount\":1}}", coding);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var seen = Tap(wire, Header(coding), null, [64 * 1024]);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(1, seen.Images);
        Assert.Equal(1, seen.Usage!.TotalTokens);
        Assert.True(allocated < 256 * 1024, $"{allocated} bytes allocated reading a 20 MB image");
    }

    [Fact]
    public async Task The_client_gets_the_upstreams_compressed_bytes_unchanged()
    {
        var wire = Encode(Body, "gzip");
        var context = new DefaultHttpContext();
        var client = new MemoryStream();
        context.Response.Body = client;
        using var departure = new ClientDeparture(context, long.MaxValue, TimeSpan.FromMinutes(1));
        var metering = new MeteringStream(context.Response, new FakeTimeProvider(), departure);
        context.Response.Headers.ContentEncoding = "gzip";
        context.Response.ContentType = "application/json";

        for (var offset = 0; offset < wire.Length; offset += 10)
        {
            await metering.WriteAsync(wire.AsMemory(offset, Math.Min(10, wire.Length - offset)));
        }

        var seen = metering.Complete();

        Assert.Same(client, metering.Inner);
        Assert.Equal(wire, client.ToArray());
        Assert.Equal(1302, seen.Usage!.TotalTokens);
        Assert.Equal(wire.Length, seen.Bytes);
        Assert.Equal("gzip", seen.ContentEncoding);
    }
}

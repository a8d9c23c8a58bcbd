using System.Globalization;
using System.Text;

using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Hygiene;

/// <summary>
/// Request framing a front proxy could read differently from Kestrel (a signed Content-Length, chunked HTTP/1.0,
/// Transfer-Encoding beside Content-Length) is refused with a 400 and the connection closed, so no byte after the head
/// is ever read as a request of its own; malformed chunks are a client's 400, not a 500 with a stack trace.
/// </summary>
public sealed class FramingTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private static readonly int BodyLength = Encoding.UTF8.GetByteCount(GeminiRequests.TextOnlyBody);

    private static string Chunked => BodyLength.ToString("x", CultureInfo.InvariantCulture) + "\r\n" + GeminiRequests.TextOnlyBody + "\r\n0\r\n\r\n";

    public static TheoryData<string> Smuggling => new()
    {
        "signed-length",
        "signed-zero-length",
        "http10-chunked",
        "chunked-and-length",
    };

    [Theory]
    [MemberData(nameof(Smuggling))]
    public async Task Ambiguous_framing_is_refused_and_the_connection_closed(string kind)
    {
        var key = await gateway.CreateKeyAsync("framing");
        var id = GeminiRequests.NewRequestId();
        var server = gateway.Factory.Address;

        // Keep-alive, with a second request right behind: if the connection survived, the probe would be answered too.
        var responses = await RawExchange.SendAsync(server, Request(kind, server, key.Key, id) + HygieneRequests.Probe(server));

        var response = Assert.Single(responses);
        Assert.Equal(400, response.Status);
        Assert.Equal("close", response.Header("Connection"));
        GeminiErrorAssert.IsError(response.Body, 400, "INVALID_ARGUMENT");
        Assert.Empty(gateway.UpstreamReceived(id));
        Assert.Empty(HygieneRequests.ErrorLines(gateway, id));
    }

    [Theory]
    [InlineData("ffffffffffffffffffff")]
    [InlineData("fffffffffffffffff")]
    [InlineData("8000000000000000")]
    public async Task A_chunk_size_overflow_is_a_400_without_an_error_log(string chunkSize)
    {
        var key = await gateway.CreateKeyAsync("framing");
        var id = GeminiRequests.NewRequestId();
        var server = gateway.Factory.Address;
        var head = HygieneRequests.Head("POST " + HygieneRequests.Target + " HTTP/1.1",
        [
            ("Host", server.Authority), ("Content-Type", "application/json"), ("Transfer-Encoding", "chunked"),
            ("x-request-id", id), ("x-goog-api-key", key.Key), ("Connection", "close"),
        ]);

        var responses = await RawExchange.SendAsync(server, head + chunkSize + "\r\n" + GeminiRequests.TextOnlyBody + "\r\n0\r\n\r\n");

        var response = Assert.Single(responses);
        Assert.Equal(400, response.Status);
        if (response.Body.Length > 0)
        {
            // Kestrel's own bare 400 is acceptable; an answer the gateway writes is a Gemini error.
            GeminiErrorAssert.IsError(response.Body, 400, "INVALID_ARGUMENT");
        }

        Assert.Empty(gateway.UpstreamReceived(id));
        Assert.Empty(HygieneRequests.ErrorLines(gateway, id));
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains(id, StringComparison.Ordinal) && line.Contains("   at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refused_framing_never_opens_the_models_breaker()
    {
        var key = await gateway.CreateKeyAsync("framing");
        var server = gateway.Factory.Address;
        string[] kinds = ["signed-length", "http10-chunked", "chunked-and-length", "signed-length", "http10-chunked", "chunked-and-length"];
        foreach (var kind in kinds)
        {
            var responses = await RawExchange.SendAsync(server, Request(kind, server, key.Key, GeminiRequests.NewRequestId()) + HygieneRequests.Probe(server));
            Assert.Equal(400, Assert.Single(responses).Status);
        }

        using var valid = GeminiRequests.Generate(key.Key);
        using var answer = await gateway.Client.SendAsync(valid);

        Assert.Equal(System.Net.HttpStatusCode.OK, answer.StatusCode);
    }

    private static string Request(string kind, Uri server, string key, string id)
    {
        var identity = new List<(string, string)> { ("Host", server.Authority), ("Content-Type", "application/json"), ("x-request-id", id), ("x-goog-api-key", key) };
        return kind switch
        {
            "signed-length" => HygieneRequests.Head("POST " + HygieneRequests.Target + " HTTP/1.1",
                [.. identity, ("Content-Length", "+" + BodyLength.ToString(CultureInfo.InvariantCulture))]) + GeminiRequests.TextOnlyBody,
            "signed-zero-length" => HygieneRequests.Head("POST " + HygieneRequests.Target + " HTTP/1.1",
                [.. identity, ("Content-Length", "-0")]) + GeminiRequests.TextOnlyBody,
            "http10-chunked" => HygieneRequests.Head("POST " + HygieneRequests.Target + " HTTP/1.0",
                [.. identity, ("Connection", "keep-alive"), ("Transfer-Encoding", "chunked")]) + Chunked,
            "chunked-and-length" => HygieneRequests.Head("POST " + HygieneRequests.Target + " HTTP/1.1",
                [.. identity, ("Content-Length", BodyLength.ToString(CultureInfo.InvariantCulture)), ("Transfer-Encoding", "chunked")]) + Chunked,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }
}

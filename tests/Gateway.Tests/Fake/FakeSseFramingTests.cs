using System.Text.Json;
using System.Text.Json.Nodes;

using Routescope.Fake;
using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Fake;

/// <summary>SSE as real servers frame it: legal to a spec reader, surprising to one that expects Google's exact bytes.</summary>
public sealed class FakeSseFramingTests(FakeUpstreamFixture fake) : IClassFixture<FakeUpstreamFixture>
{
    [Fact]
    public async Task By_default_each_event_is_one_data_line_ended_by_a_blank_line_in_crlf()
    {
        var (body, _) = await StreamAsync(null);
        var blocks = body.Split("\r\n\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.All(blocks, block => Assert.StartsWith("data: {", block, StringComparison.Ordinal));
        Assert.All(blocks, block => Assert.DoesNotContain('\n', block));
        Assert.EndsWith("\r\n\r\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lines_can_end_in_lf_only()
    {
        var (body, _) = await StreamAsync(FakeHeaders.SseValues.LfOnly);

        Assert.DoesNotContain('\r', body);
        Assert.Contains("\n\ndata: ", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Comments_bring_keep_alives_and_json_that_is_not_data()
    {
        var (body, billed) = await StreamAsync(FakeHeaders.SseValues.Comments);
        var lines = body.Split("\r\n");

        Assert.Contains(": keep-alive", lines);
        var decoy = Assert.Single(lines, line => line.StartsWith(": {", StringComparison.Ordinal));
        Assert.Contains("usageMetadata", decoy, StringComparison.Ordinal);
        // A spec reader drops comments, so the totals it sees are the billed ones, not the comment's.
        Assert.Equal(billed.TotalTokens, FakeBodies.Count(FakeBodies.Usage(FakeBodies.SseData(body)[^1]), "totalTokenCount"));
    }

    [Fact]
    public async Task Events_can_carry_an_event_line()
    {
        var (body, _) = await StreamAsync(FakeHeaders.SseValues.EventLines);

        Assert.Equal(FakeBodies.SseData(body).Count, body.Split("\r\n").Count(line => line == "event: message"));
    }

    [Fact]
    public async Task A_payload_can_be_split_across_several_data_lines()
    {
        var (body, _) = await StreamAsync(FakeHeaders.SseValues.SplitData);
        var first = body.Split("\r\n\r\n")[0].Split("\r\n");

        Assert.True(first.Length > 1);
        Assert.All(first, line => Assert.StartsWith("data: ", line, StringComparison.Ordinal));
        Assert.Contains(first, line => line == "data: \"usageMetadata\":");
        Assert.All(FakeBodies.SseData(body), data => JsonDocument.Parse(data).Dispose());
    }

    [Fact]
    public async Task Every_framing_carries_the_same_responses()
    {
        var plain = FakeBodies.SseData((await StreamAsync(null)).Body);
        var odd = FakeBodies.SseData((await StreamAsync("comments,events,lf,split")).Body);

        Assert.Equal(plain.Count, odd.Count);
        Assert.All(plain.Zip(odd), pair => Assert.True(JsonNode.DeepEquals(JsonNode.Parse(pair.First), JsonNode.Parse(pair.Second))));
    }

    [Fact]
    public async Task A_json_array_stream_is_one_json_array_of_the_same_responses()
    {
        using var request = FakeCalls.Stream(sse: false);
        using var response = await fake.Client.SendAsync(request);
        using var array = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var sse = FakeBodies.SseData((await StreamAsync(null)).Body);

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(sse.Count, array.RootElement.GetArrayLength());
    }

    private async Task<(string Body, FakeBill Billed)> StreamAsync(string? style)
    {
        using var request = style is null ? FakeCalls.Stream() : FakeCalls.Stream(headers: (FakeHeaders.Sse, style));
        using var response = await fake.Client.SendAsync(request);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        return (body, (await fake.SettledAsync(GeminiRequests.RequestId(request))).Billed);
    }
}

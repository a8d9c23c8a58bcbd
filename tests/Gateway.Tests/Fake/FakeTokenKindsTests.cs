using System.Text;

using Routescope.Fake;
using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Fake;

/// <summary>Cached, tool-use and thinking tokens, reported where the real upstream reports them and summed as it sums them.</summary>
public sealed class FakeTokenKindsTests(FakeUpstreamFixture fake) : IClassFixture<FakeUpstreamFixture>
{
    [Fact]
    public async Task Cached_tokens_are_part_of_the_prompt()
    {
        var (plain, _) = await GenerateAsync();
        var (cached, usage) = await GenerateAsync((FakeHeaders.CachedTokens, "300"));

        Assert.Equal(300, FakeBodies.Count(usage, "cachedContentTokenCount"));
        Assert.Equal(plain.PromptTokens + 300, FakeBodies.Count(usage, "promptTokenCount"));
        Assert.Equal((plain.PromptTokens + 300, 300L), (cached.PromptTokens, cached.CachedContentTokens));
        Assert.Equal(plain.TotalTokens + 300, cached.TotalTokens);
    }

    [Fact]
    public async Task Tool_use_tokens_are_apart_from_the_prompt_and_counted_in_the_total()
    {
        var (plain, _) = await GenerateAsync();
        var (tooled, usage) = await GenerateAsync((FakeHeaders.ToolUseTokens, "45"));

        Assert.Equal(45, FakeBodies.Count(usage, "toolUsePromptTokenCount"));
        Assert.Equal(plain.PromptTokens, FakeBodies.Count(usage, "promptTokenCount"));
        Assert.Equal(plain.TotalTokens + 45, FakeBodies.Count(usage, "totalTokenCount"));
        Assert.Equal(45, tooled.ToolUsePromptTokens);
    }

    [Fact]
    public async Task Thinking_tokens_are_reported_with_a_thought_part_and_counted_in_the_total()
    {
        using var request = FakeCalls.Generate(headers: (FakeHeaders.ThoughtsTokens, "230"));
        using var response = await fake.Client.SendAsync(request);
        var json = await response.Content.ReadAsStringAsync();
        var usage = FakeBodies.Usage(json);

        Assert.Equal(230, FakeBodies.Count(usage, "thoughtsTokenCount"));
        var thought = FakeBodies.Parts(json)[0];
        Assert.True(thought.GetProperty("thought").GetBoolean());
        Assert.True(thought.TryGetProperty("text", out _));
        Assert.Equal(230, (await fake.SettledAsync(GeminiRequests.RequestId(request))).Billed.ThoughtsTokens);
    }

    [Fact]
    public async Task The_total_is_prompt_plus_candidates_plus_thoughts_plus_tool_use()
    {
        var (billed, usage) = await GenerateAsync((FakeHeaders.CachedTokens, "100"), (FakeHeaders.ToolUseTokens, "20"), (FakeHeaders.ThoughtsTokens, "7"));

        var (prompt, candidates, thoughts, toolUse) = (FakeBodies.Count(usage, "promptTokenCount"), FakeBodies.Count(usage, "candidatesTokenCount"),
            FakeBodies.Count(usage, "thoughtsTokenCount"), FakeBodies.Count(usage, "toolUsePromptTokenCount"));
        Assert.Equal(prompt + candidates + thoughts + toolUse, FakeBodies.Count(usage, "totalTokenCount"));
        Assert.Equal((prompt, candidates, thoughts, toolUse, 100L), (billed.PromptTokens, billed.CandidatesTokens, billed.ThoughtsTokens, billed.ToolUsePromptTokens, billed.CachedContentTokens));
        Assert.Equal(FakeBodies.Count(usage, "totalTokenCount"), billed.TotalTokens);
    }

    [Fact]
    public async Task Zero_counts_are_left_out_as_the_upstream_leaves_them_out()
    {
        var (_, usage) = await GenerateAsync();

        Assert.False(usage.TryGetProperty("thoughtsTokenCount", out _));
        Assert.False(usage.TryGetProperty("cachedContentTokenCount", out _));
        Assert.False(usage.TryGetProperty("toolUsePromptTokenCount", out _));
    }

    [Theory]
    [InlineData("thoughtsTokenCount", FakeHeaders.ThoughtsTokens)]
    [InlineData("cachedContentTokenCount", FakeHeaders.CachedTokens)]
    [InlineData("toolUsePromptTokenCount", FakeHeaders.ToolUseTokens)]
    public async Task A_stream_can_report_a_count_only_in_an_earlier_event(string field, string steering)
    {
        using var request = FakeCalls.Stream(headers: [(steering, "64"), (FakeHeaders.EarlyUsage, field)]);
        using var response = await fake.Client.SendAsync(request);
        var events = FakeBodies.SseData(await response.Content.ReadAsStringAsync());
        var final = FakeBodies.Usage(events[^1]);

        Assert.False(final.TryGetProperty(field, out _), field + " is in the final event");
        Assert.Equal(64, FakeBodies.Count(FakeBodies.Usage(events[^2]), field));
        var billed = (await fake.SettledAsync(GeminiRequests.RequestId(request))).Billed;
        // The final total still counts it: a meter reading the final event alone comes out short of the total.
        Assert.Equal(billed.TotalTokens, FakeBodies.Count(final, "totalTokenCount"));
    }

    [Fact]
    public async Task A_stream_can_report_prompt_details_only_in_an_earlier_event()
    {
        using var request = FakeCalls.Stream(headers: (FakeHeaders.EarlyUsage, "promptTokensDetails"));
        using var response = await fake.Client.SendAsync(request);
        var events = FakeBodies.SseData(await response.Content.ReadAsStringAsync());

        Assert.False(FakeBodies.Usage(events[^1]).TryGetProperty("promptTokensDetails", out _));
        Assert.True(FakeBodies.Usage(events[0]).TryGetProperty("promptTokensDetails", out _));
    }

    [Fact]
    public async Task Without_steering_the_final_event_of_a_stream_holds_every_count()
    {
        using var request = FakeCalls.Stream(headers: [(FakeHeaders.ThoughtsTokens, "10"), (FakeHeaders.CachedTokens, "5")]);
        using var response = await fake.Client.SendAsync(request);
        var events = FakeBodies.SseData(await response.Content.ReadAsStringAsync());
        var final = FakeBodies.Usage(events[^1]);

        Assert.Equal((10L, 5L), (FakeBodies.Count(final, "thoughtsTokenCount"), FakeBodies.Count(final, "cachedContentTokenCount")));
        // Early events carry no candidates count yet, as real streams.
        Assert.All(events[..^1], e => Assert.Equal(0, FakeBodies.Count(FakeBodies.Usage(e), "candidatesTokenCount")));
    }

    private async Task<(FakeBill Billed, System.Text.Json.JsonElement Usage)> GenerateAsync(params (string Name, string Value)[] headers)
    {
        using var request = FakeCalls.Generate(headers: headers);
        var (body, entry) = await fake.AnswerAsync(request);
        return (entry.Billed, FakeBodies.Usage(Encoding.UTF8.GetString(body)));
    }
}

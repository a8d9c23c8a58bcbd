using System.Net;

using Routescope.Fake;
using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Fake;

/// <summary>A refused image: 200, a finish reason, no image at all, and the prompt and the thinking still billed.</summary>
public sealed class FakeRefusalTests(FakeUpstreamFixture fake) : IClassFixture<FakeUpstreamFixture>
{
    [Theory]
    [InlineData(FakeHeaders.Refusals.ImageSafety, 0)]
    [InlineData(FakeHeaders.Refusals.ImageProhibitedContent, 0)]
    [InlineData(FakeHeaders.Refusals.Safety, 0)]
    [InlineData(FakeHeaders.Refusals.NoImage, 12)]
    public async Task A_refusal_returns_no_image_but_bills_prompt_and_thinking(string finishReason, long candidates)
    {
        using var request = FakeCalls.Generate(headers: [(FakeHeaders.Refusal, finishReason), (FakeHeaders.ThoughtsTokens, "50")]);
        using var response = await fake.Client.SendAsync(request);
        var json = await response.Content.ReadAsStringAsync();
        var usage = FakeBodies.Usage(json);
        var entry = await fake.SettledAsync(GeminiRequests.RequestId(request));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("inlineData", json, StringComparison.Ordinal);
        Assert.Equal(finishReason, System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("candidates")[0].GetProperty("finishReason").GetString());
        Assert.Equal((50L, candidates), (FakeBodies.Count(usage, "thoughtsTokenCount"), FakeBodies.Count(usage, "candidatesTokenCount")));
        Assert.True(FakeBodies.Count(usage, "promptTokenCount") > 0);
        Assert.Equal(finishReason, entry.FinishReason);
        Assert.Equal((0L, 0L, 50L, candidates), (entry.Billed.Images, entry.Billed.ImageTokens, entry.Billed.ThoughtsTokens, entry.Billed.CandidatesTokens));
        Assert.Equal(FakeBodies.Count(usage, "promptTokenCount"), entry.Billed.PromptTokens);
        Assert.Equal(FakeBodies.Count(usage, "totalTokenCount"), entry.Billed.TotalTokens);
    }

    [Fact]
    public async Task A_refused_pro_image_withholds_its_thought_images_but_bills_them_as_thinking()
    {
        using var request = FakeCalls.Generate(FakeCalls.Pro3, headers: (FakeHeaders.Refusal, FakeHeaders.Refusals.ImageSafety));
        using var response = await fake.Client.SendAsync(request);
        var json = await response.Content.ReadAsStringAsync();
        var billed = (await fake.SettledAsync(GeminiRequests.RequestId(request))).Billed;

        Assert.DoesNotContain("inlineData", json, StringComparison.Ordinal);
        Assert.Equal((2L, 2240L, 0L), (billed.ThoughtImages, billed.ThoughtsTokens, billed.Images));
        Assert.Equal(2240, FakeBodies.Count(FakeBodies.Usage(json), "thoughtsTokenCount"));
    }

    [Fact]
    public async Task A_refused_stream_ends_with_the_finish_reason_and_the_totals()
    {
        using var request = FakeCalls.Stream(FakeCalls.Pro3, headers: (FakeHeaders.Refusal, FakeHeaders.Refusals.ImageProhibitedContent));
        using var response = await fake.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var events = FakeBodies.SseData(body);
        var billed = (await fake.SettledAsync(GeminiRequests.RequestId(request))).Billed;

        Assert.DoesNotContain("inlineData", body, StringComparison.Ordinal);
        Assert.Contains("\"finishReason\":\"IMAGE_PROHIBITED_CONTENT\"", events[^1], StringComparison.Ordinal);
        Assert.Equal(billed.TotalTokens, FakeBodies.Count(FakeBodies.Usage(events[^1]), "totalTokenCount"));
    }
}

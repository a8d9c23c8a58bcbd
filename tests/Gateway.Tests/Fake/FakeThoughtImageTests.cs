using Routescope.Fake;
using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Fake;

/// <summary>Interim images a thinking model makes before its final image: marked as thoughts, billed as thinking.</summary>
public sealed class FakeThoughtImageTests(FakeUpstreamFixture fake) : IClassFixture<FakeUpstreamFixture>
{
    [Fact]
    public async Task Pro_image_sends_two_thought_images_before_the_final_one()
    {
        using var request = FakeCalls.Generate(FakeCalls.Pro3);
        using var response = await fake.Client.SendAsync(request);
        var json = await response.Content.ReadAsStringAsync();
        var images = FakeBodies.Parts(json).Where(part => part.TryGetProperty("inlineData", out _)).ToArray();

        Assert.Equal(3, images.Length);
        Assert.All(images[..2], image => Assert.True(image.GetProperty("thought").GetBoolean()));
        Assert.False(images[2].TryGetProperty("thought", out _));
        Assert.True(images[2].TryGetProperty("thoughtSignature", out _));
        Assert.NotEqual(images[0].GetProperty("inlineData").GetProperty("data").GetString(), images[2].GetProperty("inlineData").GetProperty("data").GetString());
    }

    [Fact]
    public async Task Thought_images_are_billed_as_thinking_not_as_image_output()
    {
        using var request = FakeCalls.Generate(FakeCalls.Pro3, RequestBodies.Generate(imageSize: "4K"));
        using var response = await fake.Client.SendAsync(request);
        var usage = FakeBodies.Usage(await response.Content.ReadAsStringAsync());
        var billed = (await fake.SettledAsync(GeminiRequests.RequestId(request))).Billed;

        Assert.Equal(2 * 2000, FakeBodies.Count(usage, "thoughtsTokenCount"));
        Assert.Equal(2000, usage.GetProperty("candidatesTokensDetails")[0].GetProperty("tokenCount").GetInt64());
        Assert.Equal((2L, 4000L, 4000L), (billed.ThoughtImages, billed.ThoughtImageTokens, billed.ThoughtsTokens));
        Assert.Equal((1L, 2000L, 2012L), (billed.Images, billed.ImageTokens, billed.CandidatesTokens));
        Assert.Equal(billed.PromptTokens + 2012 + 4000, FakeBodies.Count(usage, "totalTokenCount"));
    }

    [Fact]
    public async Task Any_model_can_be_steered_to_think_in_images()
    {
        using var request = FakeCalls.Generate(headers: [(FakeHeaders.ThoughtImages, "1"), (FakeHeaders.ThoughtsTokens, "40")]);
        using var response = await fake.Client.SendAsync(request);
        var parts = FakeBodies.Parts(await response.Content.ReadAsStringAsync());
        var billed = (await fake.SettledAsync(GeminiRequests.RequestId(request))).Billed;

        Assert.Equal(2, parts.Count(part => part.TryGetProperty("inlineData", out _)));
        Assert.Equal(2, parts.Count(part => part.TryGetProperty("thought", out var thought) && thought.GetBoolean()));
        Assert.Equal((1L, 40L + 1290), (billed.ThoughtImages, billed.ThoughtsTokens));
    }

    [Fact]
    public async Task Pro_image_can_be_steered_not_to()
    {
        using var request = FakeCalls.Generate(FakeCalls.Pro3, headers: (FakeHeaders.ThoughtImages, "0"));
        using var response = await fake.Client.SendAsync(request);
        var parts = FakeBodies.Parts(await response.Content.ReadAsStringAsync());

        Assert.DoesNotContain(parts, part => part.TryGetProperty("thought", out _));
        Assert.Equal(0, (await fake.SettledAsync(GeminiRequests.RequestId(request))).Billed.ThoughtsTokens);
    }

    [Fact]
    public async Task A_stream_sends_each_thought_image_in_its_own_event_before_the_final_image()
    {
        using var request = FakeCalls.Stream(FakeCalls.Pro3);
        using var response = await fake.Client.SendAsync(request);
        var events = FakeBodies.SseData(await response.Content.ReadAsStringAsync());
        var imageEvents = events.Select(FakeBodies.Parts).Where(parts => parts.Any(part => part.TryGetProperty("inlineData", out _))).ToArray();

        Assert.Equal(3, imageEvents.Length);
        Assert.All(imageEvents[..2], parts => Assert.True(Assert.Single(parts).GetProperty("thought").GetBoolean()));
        Assert.False(Assert.Single(imageEvents[2]).TryGetProperty("thought", out _));
        // Thinking is cumulative: each thought image adds its tokens to the events that follow.
        var thoughts = events.Select(e => FakeBodies.Count(FakeBodies.Usage(e), "thoughtsTokenCount")).ToArray();
        Assert.Equal([0, 1120, 2240, 2240, 2240], thoughts);
    }
}

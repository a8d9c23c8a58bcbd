using System.Net;
using System.Text;
using System.Text.Json;

using Routescope.Fake;
using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Fake;

/// <summary>The usage details vary as the real upstream's do; the numbers billed never do.</summary>
public sealed class FakeUsageDetailsTests(FakeUpstreamFixture fake) : IClassFixture<FakeUpstreamFixture>
{
    [Fact]
    public async Task Normal_details_list_the_prompt_as_text_and_only_the_image_among_candidates()
    {
        var (json, _, billed) = await GenerateAsync(FakeHeaders.UsageDetailsValues.Normal);
        var usage = FakeBodies.Usage(json);

        Assert.Equal([("TEXT", billed.PromptTokens)], Details(usage, "promptTokensDetails"));
        Assert.Equal([("IMAGE", 1290L)], Details(usage, "candidatesTokensDetails"));
        Assert.Equal((1290L + 12, billed.CandidatesTokens), (billed.CandidatesTokens, FakeBodies.Count(usage, "candidatesTokenCount")));
    }

    [Fact]
    public async Task Candidates_details_can_be_left_out_while_the_image_is_still_billed()
    {
        var (json, _, billed) = await GenerateAsync(FakeHeaders.UsageDetailsValues.NoCandidatesDetails);
        var usage = FakeBodies.Usage(json);

        Assert.False(usage.TryGetProperty("candidatesTokensDetails", out _));
        Assert.Equal(billed.CandidatesTokens, FakeBodies.Count(usage, "candidatesTokenCount"));
        Assert.Equal((1290L, 1L), (billed.ImageTokens, billed.Images));
    }

    [Fact]
    public async Task The_image_modality_can_arrive_escaped()
    {
        var (json, raw, _) = await GenerateAsync(FakeHeaders.UsageDetailsValues.EscapedModality);
        var text = Encoding.UTF8.GetString(raw);

        Assert.Contains("""{"modality":"IM\u0041GE","tokenCount":1290}""", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"IMAGE\"", text, StringComparison.Ordinal);
        // A JSON reader sees the same modality.
        Assert.Equal([("IMAGE", 1290L)], Details(FakeBodies.Usage(json), "candidatesTokensDetails"));
    }

    [Fact]
    public async Task The_image_can_be_listed_twice_with_amounts_that_sum_to_its_tokens()
    {
        var (json, _, billed) = await GenerateAsync(FakeHeaders.UsageDetailsValues.ImageTwice);
        var entries = Details(FakeBodies.Usage(json), "candidatesTokensDetails");

        Assert.Equal(2, entries.Length);
        Assert.All(entries, entry => Assert.Equal("IMAGE", entry.Modality));
        Assert.Equal(billed.ImageTokens, entries.Sum(entry => entry.Tokens));
    }

    [Fact]
    public async Task Prompt_details_can_be_left_out()
    {
        var (json, _, billed) = await GenerateAsync(FakeHeaders.UsageDetailsValues.NoPromptDetails);
        var usage = FakeBodies.Usage(json);

        Assert.False(usage.TryGetProperty("promptTokensDetails", out _));
        Assert.Equal(billed.PromptTokens, FakeBodies.Count(usage, "promptTokenCount"));
    }

    [Fact]
    public async Task Variations_combine()
    {
        var (json, raw, billed) = await GenerateAsync("escaped-modality, image-twice,no-prompt-details");

        Assert.Equal(2, Details(FakeBodies.Usage(json), "candidatesTokensDetails").Length);
        Assert.Contains("IM\\u0041GE", Encoding.UTF8.GetString(raw), StringComparison.Ordinal);
        Assert.False(FakeBodies.Usage(json).TryGetProperty("promptTokensDetails", out _));
        Assert.Equal(1290, billed.ImageTokens);
    }

    [Fact]
    public async Task The_variation_applies_to_the_final_event_of_a_stream()
    {
        using var request = FakeCalls.Stream(headers: (FakeHeaders.UsageDetails, FakeHeaders.UsageDetailsValues.ImageTwice));
        using var response = await fake.Client.SendAsync(request);
        var events = FakeBodies.SseData(await response.Content.ReadAsStringAsync());

        Assert.Equal(1290, Details(FakeBodies.Usage(events[^1]), "candidatesTokensDetails").Sum(entry => entry.Tokens));
    }

    [Fact]
    public async Task An_unknown_variation_is_refused_and_billed_nothing()
    {
        using var request = FakeCalls.Generate(headers: (FakeHeaders.UsageDetails, "no-details"));
        using var response = await fake.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(FakeHeaders.UsageDetails, body, StringComparison.Ordinal);
        var entry = await fake.SettledAsync(GeminiRequests.RequestId(request));
        Assert.Equal((400, FakeBill.None), (entry.StatusCode, entry.Billed));
    }

    private async Task<(string Json, byte[] Raw, FakeBill Billed)> GenerateAsync(string details)
    {
        using var request = FakeCalls.Generate(headers: (FakeHeaders.UsageDetails, details));
        var (raw, entry) = await fake.AnswerAsync(request);
        return (Encoding.UTF8.GetString(raw), raw, entry.Billed);
    }

    private static (string Modality, long Tokens)[] Details(JsonElement usage, string name) =>
        [.. usage.GetProperty(name).EnumerateArray().Select(entry => (entry.GetProperty("modality").GetString()!, entry.GetProperty("tokenCount").GetInt64()))];
}

using System.Text;

using Routescope.Fake;
using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Fake;

/// <summary>Each model bills an output image at its published token count for the size the request asked for.</summary>
public sealed class FakeImageTokenTests(FakeUpstreamFixture fake) : IClassFixture<FakeUpstreamFixture>
{
    [Theory]
    [InlineData("gemini-2.5-flash-image", null, 1290)]
    [InlineData("gemini-2.5-flash-image", "4K", 1290)]
    [InlineData("gemini-3-pro-image-preview", null, 1120)]
    [InlineData("gemini-3-pro-image-preview", "1K", 1120)]
    [InlineData("gemini-3-pro-image-preview", "2K", 1120)]
    [InlineData("gemini-3-pro-image-preview", "4K", 2000)]
    [InlineData("gemini-3.1-flash-image-preview", null, 1120)]
    [InlineData("gemini-3.1-flash-image-preview", "2K", 1120)]
    [InlineData("some-other-image-model", null, 1290)]
    public async Task Image_tokens_follow_the_model_and_the_requested_size(string model, string? imageSize, long expected)
    {
        var (billed, usage) = await GenerateAsync(model, RequestBodies.Generate(imageSize: imageSize));

        Assert.Equal((expected, 1L), (billed.ImageTokens, billed.Images));
        Assert.Equal(expected, usage.GetProperty("candidatesTokensDetails")[0].GetProperty("tokenCount").GetInt64());
        Assert.Equal(expected + 12, FakeBodies.Count(usage, "candidatesTokenCount"));
    }

    [Fact]
    public async Task The_size_is_read_in_snake_case_too()
    {
        var (billed, _) = await GenerateAsync(FakeCalls.Pro3, RequestBodies.Generate(snake: true, imageSize: "4K", aspectRatio: "16:9"));

        Assert.Equal(2000, billed.ImageTokens);
    }

    [Fact]
    public async Task A_text_model_returns_no_image_and_bills_no_image_tokens()
    {
        var (billed, usage) = await GenerateAsync("gemini-2.5-flash", RequestBodies.Generate());

        Assert.Equal((0L, 0L, 12L), (billed.Images, billed.ImageTokens, billed.CandidatesTokens));
        Assert.False(usage.TryGetProperty("candidatesTokensDetails", out _));
    }

    [Fact]
    public async Task An_unreadable_body_bills_the_default_size()
    {
        var (billed, _) = await GenerateAsync(FakeCalls.Pro3, "imageSize: 4K");

        Assert.Equal(1120, billed.ImageTokens);
    }

    private async Task<(FakeBill Billed, System.Text.Json.JsonElement Usage)> GenerateAsync(string model, string body)
    {
        using var request = FakeCalls.Generate(model, body);
        var (answer, entry) = await fake.AnswerAsync(request);
        return (entry.Billed, FakeBodies.Usage(Encoding.UTF8.GetString(answer)));
    }
}

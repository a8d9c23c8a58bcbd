using Routescope.Gateway.Policy;

namespace Routescope.Gateway.Tests.Policy;

public sealed class ModelPatternTests
{
    [Theory]
    [InlineData("gemini-2.5-flash-image", "gemini-2.5-flash-image", true)]
    [InlineData("gemini-2.5-flash-image", "gemini-2.5-flash-image-preview", false)]
    [InlineData("gemini-2.5-*", "gemini-2.5-flash-image", true)]
    [InlineData("gemini-2.5-*", "gemini-3-pro-image-preview", false)]
    [InlineData("*-preview", "gemini-3-pro-image-preview", true)]
    [InlineData("*-preview", "gemini-2.5-flash-image", false)]
    [InlineData("gemini-*-image*", "gemini-3.1-flash-image-preview", true)]
    [InlineData("gemini-*-image*", "gemini-2.5-flash", false)]
    [InlineData("*", "anything", true)]
    [InlineData("a*a", "a", false)]
    [InlineData("a*a", "aa", true)]
    // Model names are case-insensitive: a stored pattern in another case still matches the lower-cased name.
    [InlineData("Gemini-*", "gemini-2.5-flash-image", true)]
    [InlineData("GEMINI-2.5-FLASH-IMAGE", "gemini-2.5-flash-image", true)]
    [InlineData("*-Preview", "gemini-3-pro-image-preview", true)]
    [InlineData("gemini-*-IMAGE*", "gemini-3.1-flash-image-preview", true)]
    public void Patterns_match_exactly_or_with_stars(string pattern, string model, bool matches) =>
        Assert.Equal(matches, ModelPattern.Matches(pattern, model));

    [Theory]
    [InlineData("gemini-2.5-*", true)]
    [InlineData("*", true)]
    [InlineData("", false)]
    [InlineData("gemini 2.5", false)]
    [InlineData("gemini/2.5", false)]
    [InlineData("gemini-[0-9]", false)]
    public void Only_plain_names_and_stars_are_patterns(string pattern, bool valid) => Assert.Equal(valid, ModelPattern.IsValid(pattern));

    [Fact]
    public void No_list_allows_every_model_and_an_empty_one_none() =>
        Assert.Equal((true, false), (ModelPattern.Allows(null, "x"), ModelPattern.Allows([], "x")));
}

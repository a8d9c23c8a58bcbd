using Routescope.Gateway.Gemini;

namespace Routescope.Gateway.Tests.Gemini;

public sealed class GeminiPathTests
{
    [Theory]
    [InlineData("GET", "models", "ListModels", null)]
    [InlineData("GET", "models/gemini-2.5-flash-image", "GetModel", "gemini-2.5-flash-image")]
    [InlineData("POST", "models/gemini-2.5-flash-image:generateContent", "GenerateContent", "gemini-2.5-flash-image")]
    [InlineData("POST", "models/gemini-3.1-flash-image-preview:streamGenerateContent", "StreamGenerateContent", "gemini-3.1-flash-image-preview")]
    [InlineData("POST", "models/gpt-4o-mini:countTokens", "CountTokens", "gpt-4o-mini")]
    [InlineData("POST", "models/my_model.v2:generateContent", "GenerateContent", "my_model.v2")]
    public void Known_endpoints_are_recognised(string method, string path, string operation, string? model)
    {
        Assert.Equal(GeminiPathVerdict.Ok, GeminiPath.Parse(method, path, out var route));
        Assert.Equal(operation, route!.Operation.ToString());
        Assert.Equal(model, route.Model);
    }

    [Theory]
    [InlineData("models/..:generateContent")]
    [InlineData("models/a..b:generateContent")]
    [InlineData("models/:generateContent")]
    [InlineData("models/a/b:generateContent")]
    [InlineData("models/a%2Fb:generateContent")]
    [InlineData("models/ä:generateContent")]
    public void Bad_model_names_are_refused(string path) =>
        Assert.Equal(GeminiPathVerdict.BadModel, GeminiPath.Parse("POST", path, out _));

    [Fact]
    public void Model_names_are_bounded()
    {
        Assert.True(ModelName.IsValid(new string('m', ModelName.MaxLength)));
        Assert.False(ModelName.IsValid(new string('m', ModelName.MaxLength + 1)));
    }

    [Theory]
    [InlineData("/v1beta/models/a%2fb:generateContent", true)]
    [InlineData("/v1beta/models/%2e%2e:generateContent", true)]
    [InlineData("/v1beta/models/../x", true)]
    [InlineData("/v1beta/models/x/..", true)]
    [InlineData("/v1beta/models/x\\y", true)]
    [InlineData("/v1beta/models/gemini-2.5-flash-image:generateContent?alt=sse&x=%2F", false)]
    [InlineData("/v1beta/models/gemini-2.5-flash-image:generateContent", false)]
    public void Raw_targets_with_encoded_separators_or_dot_segments_are_suspicious(string target, bool suspicious) =>
        Assert.Equal(suspicious, GeminiPath.IsSuspiciousRawTarget(target));
}

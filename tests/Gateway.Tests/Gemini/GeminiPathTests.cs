using Routescope.Gateway.Gemini;

namespace Routescope.Gateway.Tests.Gemini;

public sealed class GeminiPathTests
{
    [Theory]
    [InlineData("GET", "/v1beta/models", "ListModels", null)]
    [InlineData("GET", "/v1/models", "ListModels", null)]
    [InlineData("GET", "/v1beta/models/gemini-2.5-flash-image", "GetModel", "gemini-2.5-flash-image")]
    [InlineData("POST", "/v1beta/models/gemini-2.5-flash-image:generateContent", "GenerateContent", "gemini-2.5-flash-image")]
    [InlineData("POST", "/v1/models/gemini-2.5-flash-image:generateContent", "GenerateContent", "gemini-2.5-flash-image")]
    [InlineData("POST", "/v1beta/models/gemini-3.1-flash-image-preview:streamGenerateContent", "StreamGenerateContent", "gemini-3.1-flash-image-preview")]
    [InlineData("POST", "/v1beta/models/gpt-4o-mini:countTokens", "CountTokens", "gpt-4o-mini")]
    [InlineData("POST", "/v1beta/models/my_model.v2:generateContent", "GenerateContent", "my_model.v2")]
    [InlineData("POST", "/v1beta/models/GEMINI-2.5-Flash-Image:generateContent", "GenerateContent", "gemini-2.5-flash-image")]
    [InlineData("GET", "/v1/models/Gemini-3-Pro-Image-Preview", "GetModel", "gemini-3-pro-image-preview")]
    public void Known_endpoints_are_recognised(string method, string path, string operation, string? model)
    {
        Assert.Equal(GeminiPathVerdict.Ok, GeminiPath.Parse(method, path, out var route));
        Assert.Equal(operation, route!.Operation.ToString());
        Assert.Equal(model, route.Model);
    }

    [Theory]
    [InlineData("/v1beta/models/..:generateContent")]
    [InlineData("/v1beta/models/a..b:generateContent")]
    [InlineData("/v1beta/models/:generateContent")]
    [InlineData("/v1beta/models/a/b:generateContent")]
    [InlineData("/v1beta/models/a%2Fb:generateContent")]
    [InlineData("/v1beta/models/ä:generateContent")]
    public void Bad_model_names_are_refused(string path) =>
        Assert.Equal(GeminiPathVerdict.BadModel, GeminiPath.Parse("POST", path, out _));

    [Theory]
    [InlineData("POST", "/V1BETA/models/gemini-2.5-flash-image:generateContent")]
    [InlineData("POST", "/V1beta/models/gemini-2.5-flash-image:generateContent")]
    [InlineData("POST", "/v1Beta/models/gemini-2.5-flash-image:generateContent")]
    [InlineData("POST", "/V1/models/gemini-2.5-flash-image:generateContent")]
    [InlineData("POST", "/v1beta/Models/gemini-2.5-flash-image:generateContent")]
    [InlineData("POST", "/v1beta/MODELS/gemini-2.5-flash-image:generateContent")]
    [InlineData("POST", "/v1beta/models/gemini-2.5-flash-image:GenerateContent")]
    [InlineData("POST", "/v1beta/models/gemini-2.5-flash-image:generatecontent")]
    [InlineData("POST", "/v1beta/models/gemini-2.5-flash-image:StreamGenerateContent")]
    [InlineData("POST", "/v1beta/models/gemini-2.5-flash-image:counttokens")]
    [InlineData("GET", "/V1BETA/models")]
    [InlineData("GET", "/v1beta/Models")]
    [InlineData("GET", "/v1/MODELS/gemini-2.5-flash-image")]
    [InlineData("GET", "/v2/models")]
    [InlineData("GET", "/v1beta1/models")]
    [InlineData("GET", "/v1beta")]
    [InlineData("GET", "/v1beta/modelsx")]
    public void Any_other_spelling_of_the_version_models_or_the_method_is_unknown(string method, string path) =>
        Assert.Equal(GeminiPathVerdict.Unknown, GeminiPath.Parse(method, path, out _));

    [Theory]
    [InlineData("ListModels", null, "/v1beta/models")]
    [InlineData("GetModel", "gemini-2.5-flash-image", "/v1beta/models/gemini-2.5-flash-image")]
    [InlineData("GenerateContent", "gemini-2.5-flash-image", "/v1beta/models/gemini-2.5-flash-image:generateContent")]
    [InlineData("StreamGenerateContent", "gemini-2.5-flash-image", "/v1beta/models/gemini-2.5-flash-image:streamGenerateContent")]
    [InlineData("CountTokens", "gpt-4o-mini", "/v1beta/models/gpt-4o-mini:countTokens")]
    public void The_upstream_path_is_built_from_the_route(string operation, string? model, string expected) =>
        Assert.Equal(expected, GeminiPath.ForUpstream(Enum.Parse<GeminiOperation>(operation), model));

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

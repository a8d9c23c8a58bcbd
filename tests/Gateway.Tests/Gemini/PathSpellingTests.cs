using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Gemini;

/// <summary>
/// The version, <c>models</c> and the method are spelled exactly or the gateway answers 404 itself: ASP.NET's route
/// matching ignores case, the upstream does not, and a variant it answered with a 404 would count against the model's
/// breaker (and, on a model with a fallback, be answered by the next model).
/// </summary>
public sealed class PathSpellingTests(StrictRequestFixture gateway) : IClassFixture<StrictRequestFixture>
{
    private const string Pro3 = StrictRequestFixture.Pro3;

    public static TheoryData<string, string> Variants => new()
    {
        { "POST", $"/V1BETA/models/{Pro3}:generateContent" },
        { "POST", $"/V1beta/models/{Pro3}:generateContent" },
        { "POST", $"/v1BETA/models/{Pro3}:streamGenerateContent?alt=sse" },
        { "POST", $"/V1/models/{Pro3}:generateContent" },
        { "POST", $"/V1BETA/models/{Pro3}:countTokens" },
        { "GET", "/V1BETA/models" },
        { "GET", $"/V1/models/{Pro3}" },
        { "POST", $"/v1beta/Models/{Pro3}:generateContent" },
        { "GET", "/v1beta/MODELS" },
        { "POST", $"/v1beta/models/{Pro3}:GenerateContent" },
        { "POST", $"/v1beta/models/{Pro3}:STREAMGENERATECONTENT" },
        { "POST", $"/v1/models/{Pro3}:CountTokens" },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task A_case_variant_of_the_version_models_or_the_method_is_a_404_from_the_gateway_and_never_forwarded(string method, string target)
    {
        var key = await gateway.CreateKeyAsync("spelling");

        var (status, body, response, id) = await gateway.SendAsync(key.Key, new HttpMethod(method), target);
        using (response)
        {
            Assert.Equal(404, status);
            GeminiErrorAssert.IsError(body, 404, "NOT_FOUND");
            Assert.Null(GeminiRequests.Header(response, "x-gateway-fallback"));
        }

        Assert.Empty(gateway.UpstreamReceived(id));
        await gateway.AssertServedByAsync(key.Key, Pro3);
    }

    [Fact]
    public async Task A_refused_variant_is_never_answered_by_a_fallback_model_however_often_it_is_sent()
    {
        var key = await gateway.CreateKeyAsync("spelling-fallback");

        for (var i = 0; i < 3; i++)
        {
            var (status, _, response, id) = await gateway.SendAsync(key.Key, HttpMethod.Post, $"/V1BETA/models/{Pro3}:generateContent");
            response.Dispose();
            Assert.Equal(404, status);
            Assert.Empty(gateway.UpstreamReceived(id));
        }

        await gateway.AssertServedByAsync(key.Key, Pro3);
    }

    [Theory]
    [InlineData("/v1beta/models")]
    [InlineData("/v1/models")]
    public async Task The_model_list_goes_to_the_upstreams_canonical_path(string target)
    {
        var key = await gateway.CreateKeyAsync("spelling-list");

        var (status, _, response, id) = await gateway.SendAsync(key.Key, HttpMethod.Get, target);
        response.Dispose();

        Assert.Equal(200, status);
        Assert.Equal("/v1beta/models", Assert.Single(gateway.UpstreamReceived(id)).Path);
    }
}

using System.Net;
using System.Text;

using Routescope.Fake;
using Routescope.Gateway.Tests.Infrastructure;

using static Routescope.Gateway.Tests.Infrastructure.RequestBodies;

namespace Routescope.Gateway.Tests.Fallback;

/// <summary>A gateway that skips fallback models a request would have to be changed for.</summary>
public sealed class SkipFallbackFixture : GatewayFixture
{
    protected override GatewayFactory CreateFactory(Dictionary<string, string?> settings)
    {
        settings["Fallback:OnIncompatible"] = "Skip";
        settings["Fallback:Breaker:FailureThreshold"] = "1000";
        return base.CreateFactory(settings);
    }
}

/// <summary><c>Fallback:OnIncompatible=Skip</c>: a model that lacks what the request asks for is never tried.</summary>
public sealed class FallbackSkipTests(SkipFallbackFixture gateway) : IClassFixture<SkipFallbackFixture>, IAsyncLifetime
{
    private const string Flash25 = "gemini-2.5-flash-image";
    private const string Pro3 = "gemini-3-pro-image-preview";
    private const string Flash31 = "gemini-3.1-flash-image-preview";

    private string _key = null!;

    public async Task InitializeAsync() => _key = (await gateway.CreateKeyAsync("skip")).Key;

    public Task DisposeAsync()
    {
        gateway.Upstream.Script = null;
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_ratio_the_fallback_lacks_skips_it_and_the_previews_answer_passes_through()
    {
        var body = Generate(aspectRatio: "1:8", modalities: ["IMAGE"]);
        var (response, id) = await SendFailingAsync(Flash31, body, Flash31);
        using (response)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(Flash31, GeminiRequests.Header(response, "x-gateway-model"));
            Assert.Null(GeminiRequests.Header(response, "x-gateway-adapted"));
            Assert.Equal([Flash31], gateway.UpstreamReceived(id).Select(a => a.Model));
        }
    }

    [Fact]
    public async Task ImageSize_skips_every_fallback_without_it()
    {
        var body = Generate(aspectRatio: "16:9", imageSize: "2K");
        var (response, id) = await SendFailingAsync(Pro3, body, Pro3);
        using (response)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(Pro3, GeminiRequests.Header(response, "x-gateway-model"));
            Assert.Equal([Pro3], gateway.UpstreamReceived(id).Select(a => a.Model));
        }
    }

    [Fact]
    public async Task Fallbacks_that_suit_the_request_are_still_tried_unchanged()
    {
        // 16:9 without imageSize suits every model of the chain: nothing to adapt, nothing to skip.
        var body = Generate(aspectRatio: "16:9");
        using var request = GeminiRequests.Generate(_key, Pro3, body);
        var id = GeminiRequests.RequestId(request);
        gateway.Upstream.Script = r => r.Header("x-request-id") == id && r.Model != Flash25 ? new FakeScriptedResponse { StatusCode = 503 } : null;

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Flash25, GeminiRequests.Header(response, "x-gateway-model"));
        Assert.Equal($"{Pro3} 503 -> {Flash31} 503 -> {Flash25}", GeminiRequests.Header(response, "x-gateway-fallback"));
        Assert.Null(GeminiRequests.Header(response, "x-gateway-adapted"));
        var attempts = gateway.UpstreamReceived(id);
        Assert.Equal([Pro3, Flash31, Flash25], attempts.Select(a => a.Model));
        Assert.All(attempts, attempt => Assert.Equal(Bytes.Sha256(Encoding.UTF8.GetBytes(body)), attempt.BodySha256));
    }

    private async Task<(HttpResponseMessage Response, string Id)> SendFailingAsync(string model, string body, string failing)
    {
        using var request = GeminiRequests.Generate(_key, model, body);
        var id = GeminiRequests.RequestId(request);
        gateway.Upstream.Script = r => r.Header("x-request-id") == id && r.Model == failing ? new FakeScriptedResponse { StatusCode = 503 } : null;
        return (await gateway.Client.SendAsync(request), id);
    }
}

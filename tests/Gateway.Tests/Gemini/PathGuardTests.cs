using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Gemini;

/// <summary>Hostile or unknown paths are answered by the gateway and never reach the upstream.</summary>
public sealed class PathGuardTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    public static TheoryData<string, string, int> Refused => new()
    {
        { "POST", "/v1beta/models/../secrets:generateContent", 400 },
        { "POST", "/v1beta/models/..:generateContent", 400 },
        { "POST", "/v1beta/models/%2E%2E/admin:generateContent", 400 },
        { "POST", "/v1beta/models/gemini%2F..%2Fadmin:generateContent", 400 },
        { "POST", "/v1beta/models/gemini%2fx:generateContent", 400 },
        { "POST", "/v1beta/models/gemini%5Cx:generateContent", 400 },
        { "POST", "/v1beta/models/:generateContent", 400 },
        { "POST", "/v1beta/models/" + new string('a', 129) + ":generateContent", 400 },
        { "POST", "/v1beta/models/gemini$x:generateContent", 400 },
        { "POST", "/v1beta/models/gemini%20x:generateContent", 400 },
        { "POST", "/v1beta/models/.hidden:generateContent", 400 },
        { "POST", "/v1beta/models/gemini-2.5-flash-image:deleteEverything", 404 },
        { "POST", "/v1beta/files", 404 },
        { "POST", "/v1beta/models/gemini-2.5-flash-image/extra:generateContent", 400 },
        { "GET", "/v1beta/models/gemini-2.5-flash-image:generateContent", 404 },
        { "DELETE", "/v1beta/models/gemini-2.5-flash-image", 404 },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Path_tricks_and_unknown_endpoints_are_answered_here(string method, string target, int expected)
    {
        var key = await gateway.CreateKeyAsync("paths");
        var id = GeminiRequests.NewRequestId();
        var headers = new Dictionary<string, string> { ["x-goog-api-key"] = key.Key, ["x-request-id"] = id, ["Content-Type"] = "application/json" };

        var (status, body) = await RawHttp.SendAsync(gateway.Factory.Address, method, target, headers, method == "POST" ? GeminiRequests.TextOnlyBody : "");

        Assert.Equal(expected, status);
        GeminiErrorAssert.IsError(body, expected, expected == 400 ? "INVALID_ARGUMENT" : "NOT_FOUND");
        Assert.Empty(gateway.UpstreamReceived(id));
    }

    [Fact]
    public async Task A_plain_model_name_with_dots_is_forwarded()
    {
        var key = await gateway.CreateKeyAsync("paths");
        var id = GeminiRequests.NewRequestId();
        var headers = new Dictionary<string, string> { ["x-goog-api-key"] = key.Key, ["x-request-id"] = id, ["Content-Type"] = "application/json" };

        var (status, _) = await RawHttp.SendAsync(gateway.Factory.Address, "POST", "/v1beta/models/gemini-3.1-flash-image-preview:generateContent", headers, GeminiRequests.TextOnlyBody);

        Assert.Equal(200, status);
        Assert.Equal("/v1beta/models/gemini-3.1-flash-image-preview:generateContent", Assert.Single(gateway.UpstreamReceived(id)).Path);
    }

    [Fact]
    public async Task Unknown_paths_outside_the_api_are_Gemini_style_404s()
    {
        using var response = await gateway.Client.GetAsync(new Uri("/nothing-here", UriKind.Relative));

        await GeminiErrorAssert.IsErrorAsync(response, System.Net.HttpStatusCode.NotFound, "NOT_FOUND");
    }
}

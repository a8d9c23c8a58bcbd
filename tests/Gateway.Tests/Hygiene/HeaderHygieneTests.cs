using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Hygiene;

/// <summary>
/// Header values with bytes outside visible ASCII (raw UTF-8, control characters, ANSI escapes) are refused by the
/// gateway with a 400 naming the header: the upstream HTTP client would refuse to send some of them (a 502 that counted
/// against the model's breaker) and forward the others.
/// </summary>
public sealed class HeaderHygieneTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    public static TheoryData<string, string> Hostile => new()
    {
        { "X-Foo", "café" },
        { "User-Agent", "curl/8.5.0 café" },
        { "Accept-Language", "fr-CH, fr;q=0.9, café" },
        { "x-goog-api-client", "genai-js/1.30.0 gl-node/22 café" },
        { "Content-Type", "application/json; charset=café" },
        { "X-Foo", "a\u0001b" },
        { "X-Foo", "a\u007Fb" },
        { "User-Agent", "\u001B[31mred\u001B[0m" },
        { "x-request-id", "id-\u00A0-nbsp" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task A_header_with_non_ASCII_or_control_characters_is_refused_naming_it(string name, string value)
    {
        var key = await gateway.CreateKeyAsync("headers");
        var id = GeminiRequests.NewRequestId();

        var responses = await RawExchange.SendAsync(gateway.Factory.Address, HygieneRequests.Generate(gateway.Factory.Address, key.Key, id, [(name, value)]));

        var response = Assert.Single(responses);
        Assert.Equal(400, response.Status);
        var message = GeminiErrorAssert.IsError(response.Body, 400, "INVALID_ARGUMENT");
        Assert.Contains("Header " + name + " ", message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(value, message, StringComparison.Ordinal);
        Assert.Empty(gateway.UpstreamReceived(id));
        Assert.Empty(HygieneRequests.ErrorLines(gateway, id));
    }

    [Fact]
    public async Task A_hostile_header_is_refused_before_any_key_is_checked()
    {
        var id = GeminiRequests.NewRequestId();

        var responses = await RawExchange.SendAsync(gateway.Factory.Address, HygieneRequests.Generate(gateway.Factory.Address, key: null, id, [("User-Agent", "café")]));

        var response = Assert.Single(responses);
        Assert.Equal(400, response.Status);
        Assert.Contains("User-Agent", GeminiErrorAssert.IsError(response.Body, 400, "INVALID_ARGUMENT"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/V1BETA/models/" + GeminiRequests.ImageModel + ":generateContent")]
    [InlineData("/v1/models/" + GeminiRequests.ImageModel + ":generateContent")]
    [InlineData("/V1/models/" + GeminiRequests.ImageModel + ":generateContent")]
    public async Task The_rule_holds_for_both_versions_in_any_spelling(string target)
    {
        var key = await gateway.CreateKeyAsync("headers");
        var id = GeminiRequests.NewRequestId();

        var responses = await RawExchange.SendAsync(gateway.Factory.Address, HygieneRequests.Generate(gateway.Factory.Address, key.Key, id, [("X-Foo", "café")], target));

        var response = Assert.Single(responses);
        Assert.Equal(400, response.Status);
        Assert.Contains("X-Foo", GeminiErrorAssert.IsError(response.Body, 400, "INVALID_ARGUMENT"), StringComparison.Ordinal);
        Assert.Empty(gateway.UpstreamReceived(id));
    }

    [Fact]
    public async Task Refused_headers_never_open_the_models_breaker()
    {
        var key = await gateway.CreateKeyAsync("headers");
        string[] values = ["café", "a\u0001b", "\u001B[31m", "naïve", "a\u007Fb", "日本"];
        foreach (var value in values)
        {
            var id = GeminiRequests.NewRequestId();
            var responses = await RawExchange.SendAsync(gateway.Factory.Address, HygieneRequests.Generate(gateway.Factory.Address, key.Key, id, [("X-Foo", value)]));
            Assert.Equal(400, Assert.Single(responses).Status);
        }

        using var valid = GeminiRequests.Generate(key.Key);
        using var answer = await gateway.Client.SendAsync(valid);

        Assert.Equal(System.Net.HttpStatusCode.OK, answer.StatusCode);
    }
}

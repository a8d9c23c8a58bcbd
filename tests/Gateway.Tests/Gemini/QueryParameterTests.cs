using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Gemini;

/// <summary>
/// Field masks could strip the usage the gateway bills from, and any other system parameter could change what the
/// upstream answers: masks are refused on every route, <c>alt</c> is only json (or sse on a stream), and the upstream
/// query is built from an allow-list.
/// </summary>
public sealed class QueryParameterTests(StrictRequestFixture gateway) : IClassFixture<StrictRequestFixture>
{
    private const string Model = StrictRequestFixture.Pro3;

    public static readonly string[] Routes =
    [
        $"POST /v1beta/models/{Model}:generateContent",
        $"POST /v1beta/models/{Model}:streamGenerateContent?alt=sse",
        $"POST /v1/models/{Model}:countTokens",
        "GET /v1beta/models",
        $"GET /v1/models/{Model}",
    ];

    public static readonly string[] FieldMasks =
    [
        "fields=candidates",
        "$fields=candidates",
        "%24fields=candidates",
        "%24FIELDS=candidates",
        "Fields=candidates",
        "%66ields=candidates",
        "$Fields",
    ];

    public static TheoryData<string, string> MaskOnEveryRoute()
    {
        var data = new TheoryData<string, string>();
        foreach (var route in Routes)
        {
            foreach (var mask in FieldMasks)
            {
                data.Add(route, mask);
            }
        }

        return data;
    }

    public static TheoryData<string> EveryRoute() => new(Routes);

    [Theory]
    [MemberData(nameof(MaskOnEveryRoute))]
    public async Task A_field_mask_in_the_query_is_refused_naming_it_on_every_route(string route, string mask)
    {
        var key = await gateway.CreateKeyAsync("masks");
        var (method, target) = Split(route);

        var (status, body, response, id) = await gateway.SendAsync(key.Key, method, target + (target.Contains('?', StringComparison.Ordinal) ? "&" : "?") + mask);
        response.Dispose();

        Assert.Equal(400, status);
        var message = GeminiErrorAssert.IsError(body, 400, "INVALID_ARGUMENT");
        Assert.Contains(mask.StartsWith("fields", StringComparison.OrdinalIgnoreCase) || mask.StartsWith("%66", StringComparison.Ordinal) ? "parameter fields" : "parameter $fields", message, StringComparison.Ordinal);
        Assert.Empty(gateway.UpstreamReceived(id));
        await gateway.AssertServedByAsync(key.Key, Model);
    }

    [Theory]
    [MemberData(nameof(EveryRoute))]
    public async Task The_field_mask_header_is_refused_naming_it_on_every_route(string route)
    {
        var key = await gateway.CreateKeyAsync("mask-header");
        var (method, target) = Split(route);

        var (status, body, response, id) = await gateway.SendAsync(key.Key, method, target, request => request.Headers.TryAddWithoutValidation("x-goog-fieldmask", "candidates"));
        response.Dispose();

        Assert.Equal(400, status);
        Assert.Contains("X-Goog-FieldMask", GeminiErrorAssert.IsError(body, 400, "INVALID_ARGUMENT"), StringComparison.Ordinal);
        Assert.Empty(gateway.UpstreamReceived(id));
        await gateway.AssertServedByAsync(key.Key, Model);
    }

    [Theory]
    [InlineData($"POST /v1beta/models/{Model}:generateContent?alt=proto")]
    [InlineData($"POST /v1beta/models/{Model}:generateContent?alt=media")]
    [InlineData($"POST /v1beta/models/{Model}:generateContent?alt=sse")]
    [InlineData($"POST /v1beta/models/{Model}:streamGenerateContent?alt=SSE")]
    [InlineData($"POST /v1beta/models/{Model}:streamGenerateContent?alt=")]
    [InlineData($"POST /v1beta/models/{Model}:streamGenerateContent?alt=sse&alt=json")]
    [InlineData($"POST /v1beta/models/{Model}:streamGenerateContent?ALT=proto")]
    [InlineData($"POST /v1/models/{Model}:countTokens?alt=proto")]
    [InlineData("GET /v1beta/models?alt=media")]
    public async Task An_alt_other_than_json_or_sse_on_a_stream_is_refused_naming_it(string route)
    {
        var key = await gateway.CreateKeyAsync("alt");
        var (method, target) = Split(route);

        var (status, body, response, id) = await gateway.SendAsync(key.Key, method, target);
        response.Dispose();

        Assert.Equal(400, status);
        Assert.Contains("parameter alt", GeminiErrorAssert.IsError(body, 400, "INVALID_ARGUMENT"), StringComparison.Ordinal);
        Assert.Empty(gateway.UpstreamReceived(id));
        await gateway.AssertServedByAsync(key.Key, Model);
    }

    [Theory]
    [InlineData($"POST /v1beta/models/{Model}:generateContent?key=rsg_secret&prettyPrint=false&callback=cb&%24alt=media&%24.xgafv=2&quotaUser=x&pageSize=1&alt=json", "?alt=json")]
    [InlineData($"POST /v1beta/models/{Model}:streamGenerateContent?Alt=sse&$callback=cb&upload_protocol=raw", "?alt=sse")]
    [InlineData($"POST /v1beta/models/{Model}:countTokens?pageToken=t&prettyPrint=true", "")]
    [InlineData("GET /v1beta/models?pageSize=5&pageToken=abc%3Bfields%3Dx&key=k&%24callback=cb", "?pageSize=5&pageToken=abc%3Bfields%3Dx")]
    [InlineData($"GET /v1beta/models/{Model}?pageSize=5&prettyPrint=false", "")]
    public async Task Only_alt_and_the_model_lists_paging_reach_the_upstream(string route, string upstreamQuery)
    {
        var key = await gateway.CreateKeyAsync("allow-list");
        var (method, target) = Split(route);

        var (status, body, response, id) = await gateway.SendAsync(key.Key, method, target);
        response.Dispose();

        Assert.True(status == 200, $"{status}: {body}");
        Assert.Equal(upstreamQuery, Assert.Single(gateway.UpstreamReceived(id)).QueryString);
    }

    private static (HttpMethod Method, string Target) Split(string route)
    {
        var space = route.IndexOf(' ', StringComparison.Ordinal);
        return (new HttpMethod(route[..space]), route[(space + 1)..]);
    }
}

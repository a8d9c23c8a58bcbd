using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

using Routescope.Fake;
using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Upstream;

/// <summary>What the upstream sends reaches the client byte for byte, and what the client sends reaches the upstream.</summary>
public sealed class PassThroughTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>, IAsyncLifetime
{
    private CreatedKey _key = null!;

    public async Task InitializeAsync() => _key = await gateway.CreateKeyAsync("pass-through");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_20_MB_image_response_arrives_byte_identical_with_its_content_headers()
    {
        const int rawImageBytes = 15 * 1024 * 1024; // about 20 MB once base64-encoded
        using var viaGateway = GeminiRequests.Generate(_key.Key);
        viaGateway.Headers.Add(FakeHeaders.ImageBytes, rawImageBytes.ToString(CultureInfo.InvariantCulture));
        using var gatewayResponse = await gateway.Client.SendAsync(viaGateway, HttpCompletionOption.ResponseHeadersRead);
        var gatewayBytes = await Bytes.ReadAsync(gatewayResponse);

        using var direct = DirectGenerate(rawImageBytes);
        using var directResponse = await DirectClient().SendAsync(direct);
        var directBytes = await Bytes.ReadAsync(directResponse);

        Assert.Equal(HttpStatusCode.OK, gatewayResponse.StatusCode);
        Assert.True(gatewayBytes.Length > 20_000_000, $"response was only {gatewayBytes.Length} bytes");
        Assert.Equal(directBytes.Length, gatewayBytes.Length);
        Assert.Equal(Bytes.Sha256(directBytes), Bytes.Sha256(gatewayBytes));
        Assert.Equal(directResponse.Content.Headers.ContentType, gatewayResponse.Content.Headers.ContentType);
    }

    [Fact]
    public async Task A_15_MB_edit_request_reaches_the_upstream_byte_identical()
    {
        var image = new byte[11 * 1024 * 1024];
        new Random(7).NextBytes(image);
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        png.CopyTo(image, 0);
        var body = Encoding.UTF8.GetBytes(
            """{"contents":[{"role":"user","parts":[{"text":"Make it flat"},{"inline_data":{"mime_type":"image/png","data":""" + "\""
            + Convert.ToBase64String(image) + "\"}}]}]}");
        Assert.True(body.Length > 15_000_000);

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1beta/models/{GeminiRequests.ImageModel}:generateContent")
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        GeminiRequests.WithIdentity(request, _key.Key);
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(gateway.UpstreamReceived(GeminiRequests.RequestId(request)));
        Assert.Equal(body.Length, received.BodyLength);
        Assert.Equal(Bytes.Sha256(body), received.BodySha256);
    }

    [Fact]
    public async Task An_SSE_stream_passes_through_unchanged_with_alt_sse_kept()
    {
        const string path = $"/v1beta/models/{GeminiRequests.ImageModel}:streamGenerateContent?alt=sse";
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(GeminiRequests.TextOnlyBody, Encoding.UTF8, "application/json") };
        GeminiRequests.WithIdentity(request, _key.Key, GeminiRequests.Credential.GoogApiKey);
        using var response = await gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var bytes = await Bytes.ReadAsync(response);

        using var direct = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway.Upstream.BaseAddress, path))
        {
            Content = new StringContent(GeminiRequests.TextOnlyBody, Encoding.UTF8, "application/json"),
        };
        direct.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GatewayFixture.UpstreamKey);
        using var directResponse = await DirectClient().SendAsync(direct);
        var directBytes = await Bytes.ReadAsync(directResponse);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Bytes.Sha256(directBytes), Bytes.Sha256(bytes));
        Assert.StartsWith("data: ", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        var received = Assert.Single(gateway.UpstreamReceived(GeminiRequests.RequestId(request)));
        Assert.Equal("?alt=sse", received.QueryString);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    [InlineData(400)]
    public async Task Upstream_errors_pass_through_untouched(int status)
    {
        using var request = GeminiRequests.Generate(_key.Key);
        request.Headers.Add(FakeHeaders.Status, status.ToString(CultureInfo.InvariantCulture));
        using var response = await gateway.Client.SendAsync(request);

        using var direct = DirectGenerate(0);
        direct.Headers.Add(FakeHeaders.Status, status.ToString(CultureInfo.InvariantCulture));
        using var directResponse = await DirectClient().SendAsync(direct);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(await directResponse.Content.ReadAsStringAsync(), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_model_list_is_forwarded()
    {
        using var request = GeminiRequests.WithIdentity(new HttpRequestMessage(HttpMethod.Get, "/v1beta/models"), _key.Key);
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("models/gemini-2.5-flash-image", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var received = Assert.Single(gateway.UpstreamReceived(GeminiRequests.RequestId(request)));
        Assert.Equal("GET", received.Method);
        Assert.Equal("/v1beta/models", received.Path);
    }

    [Fact]
    public async Task A_single_model_is_forwarded()
    {
        using var request = GeminiRequests.WithIdentity(new HttpRequestMessage(HttpMethod.Get, "/v1beta/models/gemini-3-pro-image-preview"), _key.Key);
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/v1beta/models/gemini-3-pro-image-preview", Assert.Single(gateway.UpstreamReceived(GeminiRequests.RequestId(request))).Path);
    }

    [Fact]
    public async Task CountTokens_is_forwarded()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1beta/models/{GeminiRequests.ImageModel}:countTokens")
        {
            Content = new StringContent(GeminiRequests.TextOnlyBody, Encoding.UTF8, "application/json"),
        };
        GeminiRequests.WithIdentity(request, _key.Key);
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"totalTokens\":", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal($"/v1beta/models/{GeminiRequests.ImageModel}:countTokens", Assert.Single(gateway.UpstreamReceived(GeminiRequests.RequestId(request))).Path);
    }

    [Theory]
    [InlineData("/v1/models/gemini-2.5-flash-image:generateContent", "POST", "/v1beta/models/gemini-2.5-flash-image:generateContent")]
    [InlineData("/v1/models/gemini-2.5-flash-image:streamGenerateContent?alt=sse", "POST", "/v1beta/models/gemini-2.5-flash-image:streamGenerateContent")]
    [InlineData("/v1/models/gemini-2.5-flash-image:countTokens", "POST", "/v1beta/models/gemini-2.5-flash-image:countTokens")]
    [InlineData("/v1/models", "GET", "/v1beta/models")]
    public async Task V1_paths_the_SDK_uses_by_default_go_to_the_upstream_v1beta(string path, string method, string upstreamPath)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent(GeminiRequests.TextOnlyBody, Encoding.UTF8, "application/json");
        }

        GeminiRequests.WithIdentity(request, _key.Key, GeminiRequests.Credential.GoogApiKey);
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(upstreamPath, Assert.Single(gateway.UpstreamReceived(GeminiRequests.RequestId(request))).Path);
    }

    private static HttpClient DirectClient() => SharedDirect.Value;

    private static readonly Lazy<HttpClient> SharedDirect = new(() => new HttpClient());

    private HttpRequestMessage DirectGenerate(int imageBytes)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway.Upstream.BaseAddress, $"/v1beta/models/{GeminiRequests.ImageModel}:generateContent"))
        {
            Content = new StringContent(GeminiRequests.TextOnlyBody, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GatewayFixture.UpstreamKey);
        request.Headers.Add(FakeHeaders.ImageBytes, imageBytes.ToString(CultureInfo.InvariantCulture));
        return request;
    }
}

using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

using Routescope.Fake;
using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Policy;

/// <summary>The model list and the per-model calls of a key with an allow-list: only the models it may use.</summary>
public sealed class ModelListTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string CountBody = """{"contents":[{"role":"user","parts":[{"text":"How many tokens?"}]}]}""";
    private static readonly string[] Gemini25Family = ["gemini-2.5-*"];

    [Theory]
    [InlineData("/v1beta/models")]
    [InlineData("/v1/models")]
    public async Task The_model_list_shows_only_the_models_the_key_may_use(string path)
    {
        var key = await KeyWithAsync("list", new { allowedModels = Gemini25Family });

        using var response = await gateway.Client.SendAsync(GeminiRequests.WithIdentity(new HttpRequestMessage(HttpMethod.Get, path), key.Key));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["models/gemini-2.5-flash-image", "models/gemini-2.5-flash"], await NamesAsync(response));
    }

    [Fact]
    public async Task A_key_without_an_allow_list_gets_the_upstreams_list_unchanged()
    {
        var key = await gateway.CreateKeyAsync("list-all-" + Guid.NewGuid().ToString("N")[..6]);

        using var response = await gateway.Client.SendAsync(GeminiRequests.WithIdentity(new HttpRequestMessage(HttpMethod.Get, "/v1beta/models"), key.Key));

        Assert.Equal(4, (await NamesAsync(response)).Length);
    }

    [Fact]
    public async Task The_filtered_list_keeps_the_next_page_token_and_undoes_an_upstream_compression()
    {
        var key = await KeyWithAsync("list-page", new { allowedModels = Gemini25Family });
        const string Page = """{"models":[{"name":"models/gemini-3-pro-image-preview"},{"name":"models/gemini-2.5-flash","displayName":"Flash"}],"nextPageToken":"page-2"}""";
        using var request = GeminiRequests.WithIdentity(new HttpRequestMessage(HttpMethod.Get, "/v1beta/models?pageSize=2"), key.Key);
        var id = GeminiRequests.RequestId(request);
        gateway.Upstream.Script = r => r.Header("x-request-id") == id
            ? new FakeScriptedResponse { StatusCode = 200, Body = Gzip(Page), Headers = new Dictionary<string, string> { ["Content-Encoding"] = "gzip" } }
            : null;

        using var response = await gateway.Client.SendAsync(request);
        gateway.Upstream.Script = null;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Equal(
            """{"models":[{"name":"models/gemini-2.5-flash","displayName":"Flash"}],"nextPageToken":"page-2"}""",
            await response.Content.ReadAsStringAsync());
        Assert.Equal("identity", gateway.UpstreamReceived(id).Single().Header("accept-encoding"));
    }

    [Fact]
    public async Task A_list_that_is_not_a_model_list_is_a_502_and_none_of_it_reaches_the_client()
    {
        var key = await KeyWithAsync("list-bad", new { allowedModels = Gemini25Family });
        using var request = GeminiRequests.WithIdentity(new HttpRequestMessage(HttpMethod.Get, "/v1beta/models"), key.Key);
        var id = GeminiRequests.RequestId(request);
        gateway.Upstream.Script = r => r.Header("x-request-id") == id
            ? new FakeScriptedResponse { StatusCode = 200, Body = Encoding.UTF8.GetBytes("""{"models":[{"name":"models/gemini-3-pro-image-preview"}""") }
            : null;

        using var response = await gateway.Client.SendAsync(request);
        gateway.Upstream.Script = null;

        var message = await GeminiErrorAssert.IsErrorAsync(response, HttpStatusCode.BadGateway, "UNAVAILABLE");
        Assert.DoesNotContain("gemini-3-pro", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_upstream_error_on_the_list_reaches_the_client_as_it_was()
    {
        var key = await KeyWithAsync("list-err", new { allowedModels = Gemini25Family });
        using var request = GeminiRequests.WithIdentity(new HttpRequestMessage(HttpMethod.Get, "/v1beta/models"), key.Key);
        var id = GeminiRequests.RequestId(request);
        gateway.Upstream.Script = r => r.Header("x-request-id") == id ? new FakeScriptedResponse { StatusCode = 429 } : null;

        using var response = await gateway.Client.SendAsync(request);
        gateway.Upstream.Script = null;

        await GeminiErrorAssert.IsErrorAsync(response, HttpStatusCode.TooManyRequests, "RESOURCE_EXHAUSTED");
    }

    [Fact]
    public async Task Getting_or_counting_tokens_for_a_model_off_the_list_is_refused_and_never_forwarded()
    {
        var key = await KeyWithAsync("per-model", new { allowedModels = Gemini25Family });
        using var get = GeminiRequests.WithIdentity(new HttpRequestMessage(HttpMethod.Get, "/v1beta/models/gemini-3-pro-image-preview"), key.Key);
        using var count = GeminiRequests.WithIdentity(
            new HttpRequestMessage(HttpMethod.Post, "/v1/models/gemini-3-pro-image-preview:countTokens") { Content = new StringContent(CountBody, Encoding.UTF8, "application/json") }, key.Key);
        using var allowed = GeminiRequests.WithIdentity(new HttpRequestMessage(HttpMethod.Get, "/v1beta/models/gemini-2.5-flash-image"), key.Key);

        using var gotten = await gateway.Client.SendAsync(get);
        using var counted = await gateway.Client.SendAsync(count);
        using var passed = await gateway.Client.SendAsync(allowed);

        Assert.Contains("gemini-3-pro-image-preview", await GeminiErrorAssert.IsErrorAsync(gotten, HttpStatusCode.Forbidden, "PERMISSION_DENIED"), StringComparison.Ordinal);
        await GeminiErrorAssert.IsErrorAsync(counted, HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        Assert.Empty(gateway.UpstreamReceived(GeminiRequests.RequestId(get)));
        Assert.Empty(gateway.UpstreamReceived(GeminiRequests.RequestId(count)));
        Assert.Equal(HttpStatusCode.OK, passed.StatusCode);
    }

    private static async Task<string[]> NamesAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("name").GetString()!).ToArray();
    }

    private static byte[] Gzip(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return output.ToArray();
    }

    private async Task<CreatedKey> KeyWithAsync(string name, object policy)
    {
        var key = await gateway.CreateKeyAsync(name + "-" + Guid.NewGuid().ToString("N")[..6]);
        using var admin = gateway.AdminClient();
        using var response = await admin.PatchAsJsonAsync($"/admin/keys/{key.Id}", policy);
        response.EnsureSuccessStatusCode();
        return key;
    }
}

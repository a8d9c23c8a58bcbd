using System.Net.Http.Json;

using Routescope.Fake;
using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Gemini;

/// <summary>
/// Model names are case-insensitive, and lower case (the catalog's spelling) is what every step after the path sees:
/// the catalog's checks, the key's allow-list, the fallback chain, the upstream path and the usage record.
/// </summary>
public sealed class ModelNameCaseTests(StrictRequestFixture gateway) : IClassFixture<StrictRequestFixture>
{
    private const string Pro3 = StrictRequestFixture.Pro3;
    private const string Flash25 = StrictRequestFixture.Flash25;
    private const string Flash31 = "gemini-3.1-flash-image-preview";

    [Theory]
    [InlineData("POST", "/v1beta/models/GEMINI-2.5-FLASH-IMAGE:generateContent", "/v1beta/models/gemini-2.5-flash-image:generateContent")]
    [InlineData("POST", "/v1beta/models/Gemini-2.5-Flash-Image:streamGenerateContent?alt=sse", "/v1beta/models/gemini-2.5-flash-image:streamGenerateContent")]
    [InlineData("POST", "/v1/models/Gemini-2.5-Flash-Image:countTokens", "/v1beta/models/gemini-2.5-flash-image:countTokens")]
    [InlineData("GET", "/v1beta/models/GEMINI-2.5-flash-IMAGE", "/v1beta/models/gemini-2.5-flash-image")]
    public async Task A_model_name_in_any_case_reaches_the_upstream_in_lower_case(string method, string target, string upstreamPath)
    {
        var key = await gateway.CreateKeyAsync("case");

        var (status, body, response, id) = await gateway.SendAsync(key.Key, new HttpMethod(method), target);
        response.Dispose();

        Assert.True(status == 200, $"{status}: {body}");
        Assert.Equal(upstreamPath, Assert.Single(gateway.UpstreamReceived(id)).Path);
    }

    [Fact]
    public async Task An_upper_case_model_is_validated_against_the_catalog_and_billed_under_its_catalog_name()
    {
        var key = await gateway.CreateKeyAsync("case-billing");
        // gemini-2.5-flash-image lists no image sizes: only the catalog entry knows to refuse one.
        const string withSize = """{"contents":[{"parts":[{"text":"a fox"}]}],"generationConfig":{"responseModalities":["IMAGE"],"imageConfig":{"imageSize":"4K"}}}""";
        var (refusedStatus, refusedBody, refused, refusedId) = await gateway.SendAsync(key.Key, HttpMethod.Post, "/v1beta/models/GEMINI-2.5-FLASH-IMAGE:generateContent",
            request => request.Content = new StringContent(withSize, System.Text.Encoding.UTF8, "application/json"));
        refused.Dispose();
        Assert.Equal(400, refusedStatus);
        Assert.Contains("imageSize", refusedBody, StringComparison.Ordinal);
        Assert.Empty(gateway.UpstreamReceived(refusedId));

        var (status, _, response, id) = await gateway.SendAsync(key.Key, HttpMethod.Post, "/v1beta/models/GEMINI-2.5-FLASH-IMAGE:generateContent");
        response.Dispose();
        Assert.Equal(200, status);

        var record = Assert.Single(await gateway.RecordsAsync([id]), r => r.RequestId == id);
        Assert.Equal((Flash25, Flash25), (record.RequestedModel, record.ServedModel));
        Assert.NotNull(record.ChargebackCost);
        Assert.Equal(Flash25, Assert.Single(gateway.UpstreamLedger(id)).Model);
    }

    [Fact]
    public async Task An_upper_case_model_follows_its_catalog_fallback_chain_under_lower_case_names()
    {
        var key = await gateway.CreateKeyAsync("case-chain");
        var id = GeminiRequests.NewRequestId();
        gateway.Upstream.Script = r => r.Header("x-request-id") == id && r.Model == Pro3 ? new FakeScriptedResponse { StatusCode = 503 } : null;
        try
        {
            var (status, _, response, _) = await gateway.SendAsync(key.Key, HttpMethod.Post, "/v1beta/models/Gemini-3-Pro-Image-Preview:generateContent",
                request =>
                {
                    request.Headers.Remove("x-request-id");
                    request.Headers.Add("x-request-id", id);
                });
            using (response)
            {
                Assert.Equal(200, status);
                Assert.Equal($"{Pro3} 503 -> {Flash31}", GeminiRequests.Header(response, "x-gateway-fallback"));
            }
        }
        finally
        {
            gateway.Upstream.Script = null;
        }

        Assert.Equal([$"/v1beta/models/{Pro3}:generateContent", $"/v1beta/models/{Flash31}:generateContent"], gateway.UpstreamReceived(id).Select(r => r.Path));
        var record = Assert.Single(await gateway.RecordsAsync([id]), r => r.RequestId == id && r.Outcome != Routescope.Gateway.Usage.UsageOutcome.Abandoned);
        Assert.Equal((Pro3, Flash31), (record.RequestedModel, record.ServedModel));
    }

    [Theory]
    [InlineData("gemini-2.5-*", "GEMINI-2.5-FLASH-IMAGE", 200)]
    [InlineData("GEMINI-2.5-*", Flash25, 200)]
    [InlineData("Gemini-2.5-Flash-Image", "gemini-2.5-FLASH-image", 200)]
    [InlineData("gemini-2.5-*", "GEMINI-3-PRO-IMAGE-PREVIEW", 403)]
    public async Task Allow_lists_match_model_names_in_any_case(string pattern, string model, int expected)
    {
        var key = await gateway.CreateKeyAsync("case-allow-" + Guid.NewGuid().ToString("N")[..6]);
        using (var admin = gateway.AdminClient())
        using (var patched = await admin.PatchAsJsonAsync($"/admin/keys/{key.Id}", new { allowedModels = new[] { pattern } }))
        {
            Assert.True(patched.IsSuccessStatusCode, await patched.Content.ReadAsStringAsync());
        }

        var (status, body, response, id) = await gateway.SendAsync(key.Key, HttpMethod.Post, $"/v1beta/models/{model}:generateContent");
        response.Dispose();

        Assert.Equal(expected, status);
        if (expected == 403)
        {
            Assert.Contains(model.ToLowerInvariant(), GeminiErrorAssert.IsError(body, 403, "PERMISSION_DENIED"), StringComparison.Ordinal);
            Assert.Empty(gateway.UpstreamReceived(id));
        }
    }
}

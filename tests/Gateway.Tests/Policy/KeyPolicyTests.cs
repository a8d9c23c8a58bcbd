using System.Net;
using System.Net.Http.Json;

using Routescope.Fake;
using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Policy;

/// <summary>A key's policy as clients meet it: allow-lists (exact, pattern, inherited, across a fallback), disabled and expired keys, rpm and concurrency.</summary>
public sealed class KeyPolicyTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Pro3 = "gemini-3-pro-image-preview";
    private const string Flash31 = "gemini-3.1-flash-image-preview";
    private const string Flash25 = "gemini-2.5-flash-image";
    private static readonly string[] Gemini25Family = ["gemini-2.5-*"];
    private static readonly string[] Everything = ["*"];

    [Fact]
    public async Task A_model_off_the_allow_list_is_refused_naming_it_and_never_forwarded()
    {
        var key = await KeyWithAsync("exact", new { allowedModels = new[] { Flash25 } });

        using var allowed = await SendAsync(key.Key, Flash25);
        using var refusedRequest = GeminiRequests.Generate(key.Key, model: Pro3);
        using var refused = await gateway.Client.SendAsync(refusedRequest);

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        var message = await GeminiErrorAssert.IsErrorAsync(refused, HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        Assert.Contains(Pro3, message, StringComparison.Ordinal);
        Assert.Empty(gateway.UpstreamReceived(GeminiRequests.RequestId(refusedRequest)));
    }

    [Fact]
    public async Task A_pattern_allows_the_models_it_matches()
    {
        var key = await KeyWithAsync("pattern", new { allowedModels = Gemini25Family });

        using var matched = await SendAsync(key.Key, Flash25);
        using var unmatched = await SendAsync(key.Key, Flash31);

        Assert.Equal(HttpStatusCode.OK, matched.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, unmatched.StatusCode);
    }

    [Fact]
    public async Task A_fallback_chain_skips_the_models_the_key_may_not_use()
    {
        var key = await KeyWithAsync("chain", new { allowedModels = new[] { Pro3, Flash25 } });
        using var request = GeminiRequests.Generate(key.Key, model: Pro3);
        var id = GeminiRequests.RequestId(request);
        gateway.Upstream.Script = r => r.Header("x-request-id") == id && r.Model == Pro3 ? new FakeScriptedResponse { StatusCode = 503 } : null;

        using var response = await gateway.Client.SendAsync(request);
        gateway.Upstream.Script = null;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Flash25, GeminiRequests.Header(response, "x-gateway-model"));
        Assert.Equal([Pro3, Flash25], gateway.UpstreamReceived(id).Select(attempt => attempt.Model));
    }

    [Fact]
    public async Task A_key_inherits_its_groups_policy_unless_it_sets_its_own()
    {
        var group = "inherit-" + Guid.NewGuid().ToString("N")[..8];
        using var admin = gateway.AdminClient();
        (await admin.PutAsJsonAsync($"/admin/groups/{group}", new { allowedModels = Gemini25Family })).EnsureSuccessStatusCode();
        var key = await gateway.CreateKeyAsync("inherits", group);

        using (var inherited = await SendAsync(key.Key, Pro3))
        {
            Assert.Equal(HttpStatusCode.Forbidden, inherited.StatusCode);
        }

        await PatchAsync(key.Id, new { allowedModels = Everything });
        using (var overridden = await SendAsync(key.Key, Pro3))
        {
            Assert.Equal(HttpStatusCode.OK, overridden.StatusCode);
        }

        // JSON null hands the field back to the group.
        await PatchAsync(key.Id, new { allowedModels = (string[]?)null });
        using var restored = await SendAsync(key.Key, Pro3);
        Assert.Equal(HttpStatusCode.Forbidden, restored.StatusCode);
    }

    [Fact]
    public async Task A_disabled_key_is_refused_with_403_and_works_again_once_enabled()
    {
        var key = await KeyWithAsync("disabled", new { disabled = true });

        using (var refused = await SendAsync(key.Key, Flash25))
        {
            await GeminiErrorAssert.IsErrorAsync(refused, HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        }

        await PatchAsync(key.Id, new { disabled = false });
        using var enabled = await SendAsync(key.Key, Flash25);
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
    }

    [Fact]
    public async Task A_group_wide_disable_stops_a_key_that_was_enabled_on_its_own()
    {
        var group = "stop-" + Guid.NewGuid().ToString("N")[..8];
        var key = await gateway.CreateKeyAsync("re-enabled", group);
        await PatchAsync(key.Id, new { disabled = false });
        using var admin = gateway.AdminClient();
        (await admin.PutAsJsonAsync($"/admin/groups/{group}", new { disabled = true })).EnsureSuccessStatusCode();

        using var refused = await SendAsync(key.Key, Flash25);

        await GeminiErrorAssert.IsErrorAsync(refused, HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        using var shown = System.Text.Json.JsonDocument.Parse(await admin.GetStringAsync(new Uri($"/admin/keys/{key.Id}", UriKind.Relative)));
        Assert.Equal("disabled", shown.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_groups_expiry_expires_its_keys_with_401()
    {
        var group = "expired-" + Guid.NewGuid().ToString("N")[..8];
        using var admin = gateway.AdminClient();
        var expiry = DateTimeOffset.UtcNow.AddSeconds(2);
        (await admin.PutAsJsonAsync($"/admin/groups/{group}", new { expiresAt = expiry })).EnsureSuccessStatusCode();
        var key = await gateway.CreateKeyAsync("expires", group);
        using (var before = await SendAsync(key.Key, Flash25))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await Task.Delay(expiry - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(100));
        using var refused = await SendAsync(key.Key, Flash25);

        var message = await GeminiErrorAssert.IsErrorAsync(refused, HttpStatusCode.Unauthorized, "UNAUTHENTICATED");
        Assert.Contains("expired", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_beyond_the_keys_rpm_get_429_with_retry_after()
    {
        var key = await KeyWithAsync("rpm", new { rpm = 2 });

        using var first = await SendAsync(key.Key, Flash25);
        using var second = await SendAsync(key.Key, Flash25);
        using var third = await SendAsync(key.Key, Flash25);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        var message = await GeminiErrorAssert.IsErrorAsync(third, HttpStatusCode.TooManyRequests, "RESOURCE_EXHAUSTED");
        Assert.Contains("2 requests per minute", message, StringComparison.Ordinal);
        // The sliding window gives a permit back when the segment that took it leaves the window: at most a minute.
        Assert.Equal(TimeSpan.FromSeconds(60), third.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Requests_beyond_the_keys_concurrency_get_429_until_one_finishes()
    {
        var key = await KeyWithAsync("concurrency", new { concurrency = 1 });
        using var slow = GeminiRequests.Generate(key.Key, model: Flash25);
        slow.Headers.Add("x-fake-delay-ms", "1500");
        var inFlight = gateway.Client.SendAsync(slow);
        await Eventually.TrueAsync(() => gateway.UpstreamReceived(GeminiRequests.RequestId(slow)).Count > 0);

        using (var refused = await SendAsync(key.Key, Flash25))
        {
            var message = await GeminiErrorAssert.IsErrorAsync(refused, HttpStatusCode.TooManyRequests, "RESOURCE_EXHAUSTED");
            Assert.Contains("1 requests at once", message, StringComparison.Ordinal);
            Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        }

        using (var done = await inFlight)
        {
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        }

        using var after = await SendAsync(key.Key, Flash25);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    private async Task<CreatedKey> KeyWithAsync(string name, object policy)
    {
        var key = await gateway.CreateKeyAsync(name + "-" + Guid.NewGuid().ToString("N")[..6]);
        await PatchAsync(key.Id, policy);
        return key;
    }

    private async Task PatchAsync(string id, object patch)
    {
        using var admin = gateway.AdminClient();
        using var response = await admin.PatchAsJsonAsync($"/admin/keys/{id}", patch);
        Assert.True(response.IsSuccessStatusCode, $"PATCH {id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<HttpResponseMessage> SendAsync(string key, string model)
    {
        using var request = GeminiRequests.Generate(key, model: model);
        var response = await gateway.Client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}

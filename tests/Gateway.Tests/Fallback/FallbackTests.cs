using System.Net;
using System.Text;
using System.Text.Json;

using Routescope.Fake;
using Routescope.Gateway.Tests.Infrastructure;

using static Routescope.Gateway.Tests.Infrastructure.RequestBodies;

namespace Routescope.Gateway.Tests.Fallback;

/// <summary>A gateway whose breakers stay out of the way (they have tests of their own).</summary>
public sealed class FallbackFixture : GatewayFixture
{
    protected override GatewayFactory CreateFactory(Dictionary<string, string?> settings)
    {
        settings["Fallback:Breaker:FailureThreshold"] = "1000";
        return base.CreateFactory(settings);
    }
}

/// <summary>Preview models fall back to stable ones while nothing has reached the client, and say so.</summary>
public sealed class FallbackTests(FallbackFixture gateway) : IClassFixture<FallbackFixture>, IAsyncLifetime
{
    private const string Flash25 = "gemini-2.5-flash-image";
    private const string Pro3 = "gemini-3-pro-image-preview";
    private const string Flash31 = "gemini-3.1-flash-image-preview";

    private string _key = null!;

    public async Task InitializeAsync() => _key = (await gateway.CreateKeyAsync("fallback")).Key;

    public Task DisposeAsync()
    {
        gateway.Upstream.Script = null;
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData(503)]
    [InlineData(429)]
    [InlineData(404)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(504)]
    public async Task A_retryable_status_from_the_preview_is_served_by_the_fallback(int status)
    {
        var image = WithSignature(Png, 30_000);
        var body = Generate(aspectRatio: "16:9", modalities: ["IMAGE"], images: new Image("image/png", image));
        using var request = Post(Flash31, body);
        var id = GeminiRequests.RequestId(request);
        FailFor(id, Flash31, new FakeScriptedResponse { StatusCode = status });

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Flash25, GeminiRequests.Header(response, "x-gateway-model"));
        Assert.Equal($"{Flash31} {status} -> {Flash25}", GeminiRequests.Header(response, "x-gateway-fallback"));
        Assert.Null(GeminiRequests.Header(response, "x-gateway-adapted"));
        Assert.Contains($"\"modelVersion\":\"{Flash25}\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var attempts = gateway.UpstreamReceived(id);
        Assert.Equal([$"/v1beta/models/{Flash31}:generateContent", $"/v1beta/models/{Flash25}:generateContent"], attempts.Select(a => a.Path));
        Assert.All(attempts, attempt => Assert.Equal(Bytes.Sha256(Encoding.UTF8.GetBytes(body)), attempt.BodySha256));
        Assert.All(attempts, attempt => Assert.Null(attempt.Header("x-gateway-fallback")));
    }

    [Fact]
    public async Task A_dropped_connection_on_the_preview_is_served_by_the_fallback()
    {
        using var request = Post(Flash31, Generate(modalities: ["IMAGE"]));
        var id = GeminiRequests.RequestId(request);
        FailFor(id, Flash31, new FakeScriptedResponse { StatusCode = 0, Abort = true });

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"{Flash31} unreachable -> {Flash25}", GeminiRequests.Header(response, "x-gateway-fallback"));
        Assert.Equal(2, gateway.UpstreamReceived(id).Count);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    public async Task Client_errors_are_not_retried(int status)
    {
        using var request = Post(Flash31, Generate());
        var id = GeminiRequests.RequestId(request);
        FailFor(id, Flash31, new FakeScriptedResponse { StatusCode = status });

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(Flash31, GeminiRequests.Header(response, "x-gateway-model"));
        Assert.Null(GeminiRequests.Header(response, "x-gateway-fallback"));
        Assert.Single(gateway.UpstreamReceived(id));
    }

    [Fact]
    public async Task A_success_is_one_attempt()
    {
        using var request = Post(Pro3, Generate(imageSize: "4K"));
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Pro3, GeminiRequests.Header(response, "x-gateway-model"));
        Assert.Null(GeminiRequests.Header(response, "x-gateway-fallback"));
        Assert.Single(gateway.UpstreamReceived(GeminiRequests.RequestId(request)));
    }

    [Fact]
    public async Task A_failure_in_mid_body_is_never_retried()
    {
        using var request = Post(Flash31, Generate());
        var id = GeminiRequests.RequestId(request);
        var partial = Encoding.UTF8.GetBytes("{\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":{\"data\":\"" + new string('A', 20_000));
        FailFor(id, Flash31, new FakeScriptedResponse { StatusCode = 200, Body = partial, AbortAfterBodyBytes = 10_000 });

        var received = await ReadWhatArrivesAsync(request);

        Assert.True(received.Length < partial.Length, "the client must see a broken response");
        Assert.StartsWith("{\"candidates\"", Encoding.UTF8.GetString(received), StringComparison.Ordinal);
        await Task.Delay(200);
        Assert.Single(gateway.UpstreamReceived(id));
    }

    [Theory]
    [InlineData("1:8", "9:16")]
    [InlineData("4:1", "21:9")]
    [InlineData("8:1", "21:9")]
    [InlineData("1:4", "9:16")]
    public async Task Ratios_the_fallback_lacks_become_its_nearest_ratio(string requested, string adapted)
    {
        var image = WithSignature(Jpeg, 40_000);
        var body = Generate(snake: true, aspectRatio: requested, modalities: ["IMAGE"], images: new Image("image/jpeg", image));
        using var request = Post(Flash31, body);
        var id = GeminiRequests.RequestId(request);
        FailFor(id, Flash31, new FakeScriptedResponse { StatusCode = 503 });

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"aspectRatio {requested}->{adapted}", GeminiRequests.Header(response, "x-gateway-adapted"));
        var second = gateway.UpstreamReceived(id)[1];
        using var json = JsonDocument.Parse(second.Body);
        Assert.Equal(adapted, json.RootElement.GetProperty("generation_config").GetProperty("image_config").GetProperty("aspect_ratio").GetString());
        Assert.Equal(Convert.ToBase64String(image), InlineData(json));
        var expected = Encoding.UTF8.GetBytes(body.Replace($"\"aspect_ratio\":\"{requested}\"", $"\"aspect_ratio\":\"{adapted}\"", StringComparison.Ordinal));
        Assert.Equal(Bytes.Sha256(expected), second.BodySha256);
    }

    [Theory]
    [InlineData("""{"contents":[{"parts":[{"text":"x"}]}],"generationConfig":{"imageConfig":{"imageSize":"4K"}}}""", """{"contents":[{"parts":[{"text":"x"}]}],"generationConfig":{"imageConfig":{}}}""")]
    [InlineData("""{"contents":[{"parts":[{"text":"x"}]}],"generationConfig":{"imageConfig":{"imageSize":"4K","aspectRatio":"16:9"}}}""", """{"contents":[{"parts":[{"text":"x"}]}],"generationConfig":{"imageConfig":{"aspectRatio":"16:9"}}}""")]
    [InlineData("""{"contents":[{"parts":[{"text":"x"}]}],"generationConfig":{"imageConfig":{"aspectRatio":"16:9", "imageSize" : "2K" }}}""", """{"contents":[{"parts":[{"text":"x"}]}],"generationConfig":{"imageConfig":{"aspectRatio":"16:9" }}}""")]
    [InlineData("""{"contents":[{"parts":[{"text":"x"}]}],"generation_config":{"image_config":{"aspect_ratio":"1:1","image_size":"1K","x":1}}}""", """{"contents":[{"parts":[{"text":"x"}]}],"generation_config":{"image_config":{"aspect_ratio":"1:1","x":1}}}""")]
    public async Task ImageSize_is_dropped_for_a_fallback_without_it(string body, string expected)
    {
        using var request = Post(Pro3, body);
        var id = GeminiRequests.RequestId(request);
        FailFor(id, Pro3, new FakeScriptedResponse { StatusCode = 503 });

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Flash31, GeminiRequests.Header(response, "x-gateway-model"));
        Assert.Equal("imageSize dropped", GeminiRequests.Header(response, "x-gateway-adapted"));
        Assert.Equal(expected, Encoding.UTF8.GetString(gateway.UpstreamReceived(id)[1].Body!));
    }

    [Fact]
    public async Task Ratio_and_size_adaptations_are_reported_together()
    {
        using var request = Post(Pro3, Generate(aspectRatio: "21:9", imageSize: "2K"));
        var id = GeminiRequests.RequestId(request);
        FailFor(id, Pro3, new FakeScriptedResponse { StatusCode = 503 });
        FailFor(id, Flash31, new FakeScriptedResponse { StatusCode = 503 }, keep: true);

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Flash25, GeminiRequests.Header(response, "x-gateway-model"));
        Assert.Equal($"{Pro3} 503 -> {Flash31} 503 -> {Flash25}", GeminiRequests.Header(response, "x-gateway-fallback"));
        Assert.Equal("imageSize dropped", GeminiRequests.Header(response, "x-gateway-adapted"));
        Assert.Equal([Pro3, Flash31, Flash25], gateway.UpstreamReceived(id).Select(a => a.Model));
    }

    [Fact]
    public async Task When_every_model_fails_the_last_answer_passes_through_with_the_chain()
    {
        using var request = Post(Pro3, Generate());
        var id = GeminiRequests.RequestId(request);
        var last = Encoding.UTF8.GetBytes("""{"error":{"code":503,"message":"stable model overloaded","status":"UNAVAILABLE"}}""");
        gateway.Upstream.Script = r => r.Header("x-request-id") == id
            ? new FakeScriptedResponse { StatusCode = 503, Body = r.Model == Flash25 ? last : null }
            : null;

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(last, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(Flash25, GeminiRequests.Header(response, "x-gateway-model"));
        Assert.Equal($"{Pro3} 503 -> {Flash31} 503 -> {Flash25} 503", GeminiRequests.Header(response, "x-gateway-fallback"));
        Assert.Equal(3, gateway.UpstreamReceived(id).Count);
    }

    [Fact]
    public async Task When_no_model_answers_at_all_the_gateway_answers_502_with_the_chain()
    {
        using var request = Post(Flash31, Generate());
        var id = GeminiRequests.RequestId(request);
        gateway.Upstream.Script = r => r.Header("x-request-id") == id ? new FakeScriptedResponse { StatusCode = 0, Abort = true } : null;

        using var response = await gateway.Client.SendAsync(request);

        await GeminiErrorAssert.IsErrorAsync(response, HttpStatusCode.BadGateway, "UNAVAILABLE");
        Assert.Equal($"{Flash31} unreachable -> {Flash25} unreachable", GeminiRequests.Header(response, "x-gateway-fallback"));
    }

    [Fact]
    public async Task Opting_out_tries_only_the_requested_model()
    {
        using var request = Post(Flash31, Generate());
        request.Headers.Add("x-gateway-fallback", "off");
        var id = GeminiRequests.RequestId(request);
        FailFor(id, Flash31, new FakeScriptedResponse { StatusCode = 503 });

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(Flash31, GeminiRequests.Header(response, "x-gateway-model"));
        Assert.Null(Assert.Single(gateway.UpstreamReceived(id)).Header("x-gateway-fallback"));
    }

    [Fact]
    public async Task A_stream_falls_back_before_its_first_event()
    {
        using var request = Post(Flash31, Generate(), "streamGenerateContent?alt=sse");
        var id = GeminiRequests.RequestId(request);
        FailFor(id, Flash31, new FakeScriptedResponse { StatusCode = 503 });

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"{Flash31} 503 -> {Flash25}", GeminiRequests.Header(response, "x-gateway-fallback"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("data: ", text, StringComparison.Ordinal);
        Assert.Contains($"\"modelVersion\":\"{Flash25}\"", text, StringComparison.Ordinal);
        Assert.All(gateway.UpstreamReceived(id), attempt => Assert.Equal("?alt=sse", attempt.QueryString));
    }

    [Fact]
    public async Task A_stream_that_breaks_after_its_first_event_is_not_retried()
    {
        using var request = Post(Flash31, Generate(), "streamGenerateContent?alt=sse");
        var id = GeminiRequests.RequestId(request);
        var firstEvent = Encoding.UTF8.GetBytes("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Here\"}]}}]}\r\n\r\ndata: {\"candidates\":[");
        FailFor(id, Flash31, new FakeScriptedResponse { StatusCode = 200, ContentType = "text/event-stream", Body = firstEvent, AbortAfterBodyBytes = firstEvent.Length });

        var received = await ReadWhatArrivesAsync(request);

        Assert.StartsWith("data: {\"candidates\"", Encoding.UTF8.GetString(received), StringComparison.Ordinal);
        await Task.Delay(200);
        Assert.Single(gateway.UpstreamReceived(id));
    }

    [Fact]
    public async Task A_client_that_leaves_stops_the_chain()
    {
        using var request = Post(Flash31, Generate());
        var id = GeminiRequests.RequestId(request);
        FailFor(id, Flash31, new FakeScriptedResponse { StatusCode = 503, Delay = TimeSpan.FromSeconds(5) });
        using var leave = new CancellationTokenSource();

        // The client leaves once the preview attempt is under way: a fixed delay raced a cold gateway on a busy CI machine.
        var sending = gateway.Client.SendAsync(request, leave.Token);
        await Eventually.TrueAsync(() => gateway.UpstreamReceived(id).Count > 0);
        await leave.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);

        // A gateway that took the abort for a failed attempt would send the fallback at once, well within this wait.
        await Task.Delay(1500);
        Assert.Equal([Flash31], gateway.UpstreamReceived(id).Select(a => a.Model));
    }

    [Fact]
    public async Task Models_outside_the_catalog_have_no_chain()
    {
        using var request = Post("gpt-4o-mini", """{"contents":[{"parts":[{"text":"poem"}]}]}""");
        var id = GeminiRequests.RequestId(request);
        FailFor(id, "gpt-4o-mini", new FakeScriptedResponse { StatusCode = 503 });

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("gpt-4o-mini", GeminiRequests.Header(response, "x-gateway-model"));
        Assert.Single(gateway.UpstreamReceived(id));
    }

    private HttpRequestMessage Post(string model, string body, string operation = "generateContent")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1beta/models/{model}:{operation}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        return GeminiRequests.WithIdentity(request, _key);
    }

    private void FailFor(string requestId, string model, FakeScriptedResponse response, bool keep = false)
    {
        var previous = keep ? gateway.Upstream.Script : null;
        gateway.Upstream.Script = r => r.Header("x-request-id") == requestId && r.Model == model ? response : previous?.Invoke(r);
    }

    private async Task<byte[]> ReadWhatArrivesAsync(HttpRequestMessage request)
    {
        using var received = new MemoryStream();
        try
        {
            using var response = await gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            await using var stream = await response.Content.ReadAsStreamAsync();
            await stream.CopyToAsync(received);
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException)
        {
            // Expected: the upstream broke off, and so does the response.
        }

        return received.ToArray();
    }

    private static string? InlineData(JsonDocument json) =>
        json.RootElement.GetProperty("contents")[0].GetProperty("parts").EnumerateArray()
            .Select(part => part.TryGetProperty("inline_data", out var data) ? data.GetProperty("data").GetString() : null)
            .Single(data => data is not null);
}

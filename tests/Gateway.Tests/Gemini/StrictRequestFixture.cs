using Routescope.Gateway.Tests.Infrastructure;
using Routescope.Gateway.Tests.Usage;

namespace Routescope.Gateway.Tests.Gemini;

/// <summary>
/// A gateway whose breakers open after two failures, so a refused request that wrongly counted against a model would
/// show in the next valid request for it (served by a fallback model, or refused); and usage records to read.
/// </summary>
public sealed class StrictRequestFixture : UsageFixture
{
    public const string Pro3 = "gemini-3-pro-image-preview";
    public const string Flash25 = "gemini-2.5-flash-image";

    protected override GatewayFactory CreateFactory(Dictionary<string, string?> settings)
    {
        settings["Fallback:Breaker:FailureThreshold"] = "2";
        settings["Fallback:Breaker:Window"] = "00:10:00";
        settings["Fallback:Breaker:Cooldown"] = "00:10:00";
        return base.CreateFactory(settings);
    }

    /// <summary>A valid request for <paramref name="model"/> is answered by that model itself: its breaker is closed.</summary>
    public async Task AssertServedByAsync(string key, string model)
    {
        using var request = GeminiRequests.Generate(key, model: model);
        using var response = await Client.SendAsync(request);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Null(GeminiRequests.Header(response, "x-gateway-fallback"));
        var received = Assert.Single(UpstreamReceived(GeminiRequests.RequestId(request)));
        Assert.Equal($"/v1beta/models/{model}:generateContent", received.Path);
    }

    /// <summary>Sends a request as written (HttpClient keeps the path's case and the query as given).</summary>
    public async Task<(int Status, string Body, HttpResponseMessage Response, string RequestId)> SendAsync(string key, HttpMethod method, string target, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(method, new Uri(target, UriKind.Relative));
        if (method == HttpMethod.Post)
        {
            request.Content = new StringContent(GeminiRequests.TextOnlyBody, System.Text.Encoding.UTF8, "application/json");
        }

        GeminiRequests.WithIdentity(request, key);
        configure?.Invoke(request);
        var response = await Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var id = GeminiRequests.RequestId(request);
        request.Dispose();
        return ((int)response.StatusCode, body, response, id);
    }
}

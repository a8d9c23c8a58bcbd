using System.Net;

using Routescope.Fake;
using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Observability;

/// <summary>Ops scrape <c>/metrics</c>: the gateway's own instruments beside HTTP and runtime ones, never a secret.</summary>
public sealed class MetricsTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task The_scrape_shows_attempts_usage_http_and_runtime_metrics()
    {
        var key = await gateway.CreateKeyAsync("scraped");
        using (var ok = await gateway.Client.SendAsync(GeminiRequests.Generate(key.Key)))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        // The preview fails, the stable model serves: one retryable attempt and one served attempt.
        using var failing = GeminiRequests.Generate(key.Key, model: "gemini-3.1-flash-image-preview");
        var failingId = GeminiRequests.RequestId(failing);
        gateway.Upstream.Script = r => r.Header("x-request-id") == failingId && r.Model == "gemini-3.1-flash-image-preview" ? new FakeScriptedResponse { StatusCode = 503 } : null;
        using (var fellBack = await gateway.Client.SendAsync(failing))
        {
            Assert.Equal(HttpStatusCode.OK, fellBack.StatusCode);
        }

        gateway.Upstream.Script = null;

        var scrape = await ScrapeAsync();

        Assert.Contains("gateway_upstream_attempts_total{", scrape, StringComparison.Ordinal);
        Assert.Contains(Series(scrape, "gateway_upstream_attempts_total"), line => line.Contains("model=\"gemini-3.1-flash-image-preview\"", StringComparison.Ordinal) && line.Contains("outcome=\"retryable\"", StringComparison.Ordinal));
        Assert.Contains(Series(scrape, "gateway_upstream_attempts_total"), line => line.Contains("model=\"gemini-2.5-flash-image\"", StringComparison.Ordinal) && line.Contains("outcome=\"served\"", StringComparison.Ordinal));
        Assert.NotEmpty(Series(scrape, "gateway_usage_queue_depth"));
        Assert.NotEmpty(Series(scrape, "gateway_usage_journal_pending"));
        Assert.Contains(Series(scrape, "gateway_usage_journal_available"), line => line.EndsWith(" 1", StringComparison.Ordinal));
        Assert.NotEmpty(Series(scrape, "gateway_usage_journal_group_size_count"));
        Assert.NotEmpty(Series(scrape, "http_server_request_duration_seconds_bucket"));
        Assert.NotEmpty(Series(scrape, "http_client_request_duration_seconds_bucket"));
        Assert.Contains(scrape.Split('\n'), line => line.StartsWith("dotnet_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_scrape_carries_no_key_token_or_upstream_secret()
    {
        var key = await gateway.CreateKeyAsync("scraped-secrets");
        using (var ok = await gateway.Client.SendAsync(GeminiRequests.Generate(key.Key, credential: GeminiRequests.Credential.GoogApiKey)))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using (var queryKey = await gateway.Client.PostAsync(new Uri($"/v1beta/models/{GeminiRequests.ImageModel}:generateContent?key={key.Key}", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, queryKey.StatusCode);
        }

        var scrape = await ScrapeAsync();

        foreach (var secret in new[] { key.Key, key.Key[12..], GatewayFixture.UpstreamKey, GatewayFixture.AdminToken })
        {
            Assert.DoesNotContain(secret, scrape, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_empty_metrics_path_turns_the_endpoint_off()
    {
        var settings = gateway.ReplicaSettings("quiet");
        settings["Telemetry:MetricsPath"] = string.Empty;
        await using var quiet = new GatewayFactory(settings);
        using var client = new HttpClient { BaseAddress = quiet.Address };

        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<string> ScrapeAsync()
    {
        using var response = await gateway.Client.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return await response.Content.ReadAsStringAsync();
    }

    private static string[] Series(string scrape, string name) =>
        scrape.Split('\n').Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal)).ToArray();
}

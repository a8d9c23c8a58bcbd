using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Observability;

/// <summary>A gateway told where an OTLP collector is, through the standard OpenTelemetry variables.</summary>
public sealed class OtlpFixture : GatewayFixture
{
    public FakeCollector Collector { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Collector = await FakeCollector.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Collector.DisposeAsync();
    }

    protected override GatewayFactory CreateFactory(Dictionary<string, string?> settings)
    {
        settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = Collector.Address.ToString().TrimEnd('/');
        settings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        settings["OTEL_BSP_SCHEDULE_DELAY"] = "100";
        settings["OTEL_METRIC_EXPORT_INTERVAL"] = "200";
        return base.CreateFactory(settings);
    }
}

/// <summary>Traces and metrics reach the collector; secrets and image data do not.</summary>
public sealed class OtlpExportTests(OtlpFixture gateway) : IClassFixture<OtlpFixture>
{
    [Fact]
    public async Task Requests_are_traced_and_metered_to_the_collector_without_secrets()
    {
        var key = await gateway.CreateKeyAsync("traced");
        var (editBody, imageMarker) = RequestBodies.EditWithMarkedImage();
        using var edit = GeminiRequests.Generate(key.Key, body: editBody, credential: GeminiRequests.Credential.GoogApiKey);
        var editId = GeminiRequests.RequestId(edit);
        using (var ok = await gateway.Client.SendAsync(edit))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using (var queryKey = await gateway.Client.PostAsync(new Uri($"/v1beta/models/{GeminiRequests.ImageModel}:generateContent?key={key.Key}", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, queryKey.StatusCode);
        }

        string newKey;
        using (var admin = gateway.AdminClient())
        {
            using var created = await admin.PostAsJsonAsync("/admin/keys", new { name = "traced-admin" });
            newKey = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetString()!;
        }

        // The request's log line names its trace, so ops can go from one to the other.
        var traceId = JsonDocument.Parse(await gateway.Logs.RequestLineAsync(editId)).RootElement.GetProperty("@tr").GetString()!;

        // In that trace: the gateway's server span, named by route template rather than path, and its call upstream.
        var upstream = new Uri(gateway.Upstream.BaseAddress, "/v1beta/models/").ToString();
        await Eventually.TrueAsync(() =>
        {
            var spans = gateway.Collector.Spans();
            return spans.Any(s => s.TraceId == traceId && s.Kind == SpanKind.Server && s.Attribute("http.route") == "/v1beta/{**rest}")
                && spans.Any(s => s.TraceId == traceId && s.Kind == SpanKind.Client && s.Attribute("url.full")?.StartsWith(upstream, StringComparison.Ordinal) == true)
                && spans.Any(s => s.Kind == SpanKind.Server && s.Attribute("http.route") == "/admin/keys")
                && Contains(gateway.Collector.Exports("/v1/metrics"), Encoding.UTF8.GetBytes("gateway.upstream.attempts"));
        });
        Assert.All(gateway.Collector.Spans(), span => Assert.Equal("routescope-gateway", span.ServiceName));

        var traces = gateway.Collector.Exports("/v1/traces");
        var everything = traces.Concat(gateway.Collector.Exports("/v1/metrics")).ToArray();
        foreach (var secret in new[] { key.Key, key.Key[12..], newKey, GatewayFixture.UpstreamKey, GatewayFixture.AdminToken, imageMarker })
        {
            Assert.False(Contains(everything, Encoding.UTF8.GetBytes(secret)), "an export carries a secret or image data");
        }
    }

    [Fact]
    public async Task Probes_are_not_traced()
    {
        using (var health = await gateway.Client.GetAsync(new Uri("/healthz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        // A request after the probe whose span only this test makes: once it is exported, the probe's would have been.
        var key = await gateway.CreateKeyAsync("after-probe");
        var model = "probe-" + Guid.NewGuid().ToString("N")[..12];
        using (var refused = await gateway.Client.SendAsync(GeminiRequests.Generate(key.Key, model: model, body: """{"contents":[{"parts":[{"text":"hi"}]}]}""")))
        {
            // A model outside the catalog: refused, and traced all the same.
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }

        await Eventually.TrueAsync(() => gateway.Collector.Spans().Any(s => s.Kind == SpanKind.Server && s.Attribute("url.path") == $"/v1beta/models/{model}:generateContent"));
        Assert.DoesNotContain(gateway.Collector.Spans(), s => s.Kind == SpanKind.Server && s.Attribute("url.path") == "/healthz");
    }

    /// <summary>Protobuf carries strings as raw UTF-8, so a byte search finds a secret in any field.</summary>
    private static bool Contains(IEnumerable<byte[]> exports, byte[] needle) => exports.Any(export => export.AsSpan().IndexOf(needle) >= 0);
}

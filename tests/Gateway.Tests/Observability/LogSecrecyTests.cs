using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Observability;

/// <summary>Logs tell ops what happened without ever carrying a secret or image data.</summary>
public sealed class LogSecrecyTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task No_log_line_contains_a_key_a_token_or_image_data()
    {
        var key = await gateway.CreateKeyAsync("secretive");
        var (editBody, imageMarker) = RequestBodies.EditWithMarkedImage();

        foreach (var credential in new[] { GeminiRequests.Credential.Bearer, GeminiRequests.Credential.GoogApiKey })
        {
            using var ok = await gateway.Client.SendAsync(GeminiRequests.Generate(key.Key, body: editBody, credential: credential));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using (var queryKey = new HttpRequestMessage(HttpMethod.Post, $"/v1beta/models/{GeminiRequests.ImageModel}:generateContent?key={key.Key}")
        {
            Content = new StringContent(editBody, Encoding.UTF8, "application/json"),
        })
        {
            using var response = await gateway.Client.SendAsync(queryKey);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using (var wrongKey = await gateway.Client.SendAsync(GeminiRequests.Generate(key.Key[..^2] + "zz")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        }

        using (var admin = gateway.AdminClient())
        {
            using var created = await admin.PostAsJsonAsync("/admin/keys", new { name = "logged" });
            var newKey = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetString()!;
            using var wrongAdmin = new HttpClient { BaseAddress = gateway.Factory.Address };
            wrongAdmin.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + GatewayFixture.AdminToken + "-wrong");
            using var denied = await wrongAdmin.GetAsync(new Uri("/admin/keys", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);

            var lines = gateway.Logs.Lines;
            Assert.NotEmpty(lines);
            foreach (var secret in new[] { key.Key, key.Key[..^2] + "zz", newKey, GatewayFixture.UpstreamKey, GatewayFixture.AdminToken, imageMarker, key.Key[12..] })
            {
                Assert.DoesNotContain(lines, line => line.Contains(secret, StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public async Task Each_request_logs_one_line_with_id_key_prefix_model_statuses_and_latency()
    {
        var key = await gateway.CreateKeyAsync("logged-request");
        using var request = GeminiRequests.Generate(key.Key, model: "gemini-3-pro-image-preview");
        var id = GeminiRequests.RequestId(request);
        using var response = await gateway.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var line = await gateway.Logs.RequestLineAsync(id);
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal(id, root.GetProperty("RequestId").GetString());
        Assert.Equal(key.Prefix, root.GetProperty("KeyPrefix").GetString());
        Assert.Equal("gemini-3-pro-image-preview", root.GetProperty("Model").GetString());
        Assert.Equal(200, root.GetProperty("StatusCode").GetInt32());
        Assert.Equal(200, root.GetProperty("UpstreamStatus").GetInt32());
        Assert.True(root.GetProperty("Elapsed").GetDouble() > 0);
    }
}

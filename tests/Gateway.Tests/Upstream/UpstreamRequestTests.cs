using System.Net;
using System.Text;

using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Upstream;

/// <summary>The upstream sees the gateway's credentials and request id, and nothing of the caller's secrets or topology.</summary>
public sealed class UpstreamRequestTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Theory]
    [InlineData(GeminiRequests.Credential.Bearer)]
    [InlineData(GeminiRequests.Credential.GoogApiKey)]
    public async Task The_upstream_sees_its_own_key_and_never_the_callers(GeminiRequests.Credential credential)
    {
        var key = await gateway.CreateKeyAsync("creds");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1beta/models/{GeminiRequests.ImageModel}:generateContent?key={key.Key}&alt=json")
        {
            Content = new StringContent(GeminiRequests.TextOnlyBody, Encoding.UTF8, "application/json"),
        };
        GeminiRequests.WithIdentity(request, key.Key, credential);
        request.Headers.Add("X-Forwarded-For", "10.1.2.3");
        request.Headers.Add("X-Forwarded-Host", "internal.example");
        request.Headers.Add("Forwarded", "for=10.1.2.3;host=internal.example");

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(gateway.UpstreamReceived(GeminiRequests.RequestId(request)));
        Assert.Equal("Bearer " + GatewayFixture.UpstreamKey, received.Header("authorization"));
        Assert.Null(received.Header("x-goog-api-key"));
        Assert.Equal("?alt=json", received.QueryString);
        Assert.DoesNotContain(received.Headers, header => header.Value.Contains(key.Key, StringComparison.Ordinal));
        Assert.DoesNotContain(received.Headers.Keys, name => name.StartsWith("X-Forwarded", StringComparison.OrdinalIgnoreCase));
        Assert.Null(received.Header("forwarded"));
        Assert.DoesNotContain(received.Headers, header => header.Value.Contains("internal.example", StringComparison.Ordinal));
        Assert.Equal(gateway.Upstream.BaseAddress.Authority, received.Header("host"));
    }

    [Fact]
    public async Task A_sane_request_id_is_kept_on_the_response_and_upstream()
    {
        var key = await gateway.CreateKeyAsync("ids");
        var id = "client-" + Guid.NewGuid().ToString("N");
        using var request = GeminiRequests.Generate(key.Key, requestId: id);
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(id, Assert.Single(response.Headers.GetValues("x-request-id")));
        Assert.Single(gateway.UpstreamReceived(id));
    }

    [Theory]
    [InlineData("has spaces in it")]
    [InlineData("quote\"and<angle>")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task An_insane_request_id_is_replaced_everywhere(string offered)
    {
        var key = await gateway.CreateKeyAsync("ids");
        using var request = GeminiRequests.Generate(key.Key);
        request.Headers.Remove("x-request-id");
        request.Headers.TryAddWithoutValidation("x-request-id", offered);
        var before = gateway.Upstream.Received.Count;

        using var response = await gateway.Client.SendAsync(request);

        var id = Assert.Single(response.Headers.GetValues("x-request-id"));
        Assert.NotEqual(offered, id);
        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.Single(gateway.UpstreamReceived(id));
        Assert.DoesNotContain(gateway.Upstream.Received.Skip(before), r => r.Header("x-request-id") == offered);
    }

    [Fact]
    public async Task A_missing_request_id_is_generated_and_sent_upstream()
    {
        var key = await gateway.CreateKeyAsync("ids");
        using var request = GeminiRequests.Generate(key.Key);
        request.Headers.Remove("x-request-id");

        using var response = await gateway.Client.SendAsync(request);

        var id = Assert.Single(response.Headers.GetValues("x-request-id"));
        Assert.Single(gateway.UpstreamReceived(id));
    }

    [Fact]
    public async Task Gateway_errors_carry_a_request_id_too()
    {
        using var response = await gateway.Client.SendAsync(GeminiRequests.Generate(key: null, requestId: "denied-1"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("denied-1", Assert.Single(response.Headers.GetValues("x-request-id")));
    }
}

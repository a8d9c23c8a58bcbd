using System.Text;
using System.Text.Json;

namespace Routescope.Gateway.Tests.Infrastructure;

public static class GatewayCalls
{
    /// <summary>POSTs a body to a model's generateContent; returns status, body and whether the upstream saw it.</summary>
    public static async Task<(int Status, string Body, bool Forwarded)> GenerateAsync(GatewayFixture gateway, string key, string model, string body, string operation = "generateContent")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1beta/models/{model}:{operation}")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        GeminiRequests.WithIdentity(request, key);
        using var response = await gateway.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text, gateway.UpstreamReceived(GeminiRequests.RequestId(request)).Count > 0);
    }

    /// <summary>Sends a request, checks its status and reads the answer to its end (so its usage record is made).</summary>
    public static async Task SendExpectingAsync(GatewayFixture gateway, HttpRequestMessage request, System.Net.HttpStatusCode expected)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        using var response = await gateway.Client.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
        _ = await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>The field violations of a Gemini 400, as (field, description) pairs.</summary>
    public static IReadOnlyList<(string Field, string Description)> Violations(string body)
    {
        using var json = JsonDocument.Parse(body);
        var error = json.RootElement.GetProperty("error");
        if (!error.TryGetProperty("details", out var details))
        {
            return [];
        }

        return details[0].GetProperty("fieldViolations").EnumerateArray()
            .Select(v => (v.GetProperty("field").GetString()!, v.GetProperty("description").GetString()!))
            .ToArray();
    }
}

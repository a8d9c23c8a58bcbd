using System.Net.Http.Headers;
using System.Text;

using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Fake;

/// <summary>Requests to the fake upstream as the gateway sends them: Bearer upstream key, an x-request-id, steering headers.</summary>
internal static class FakeCalls
{
    public const string Flash25 = "gemini-2.5-flash-image";
    public const string Pro3 = "gemini-3-pro-image-preview";
    public const string Flash31 = "gemini-3.1-flash-image-preview";

    public static readonly string Body = RequestBodies.Generate();

    public static HttpRequestMessage Generate(string model = Flash25, string? body = null, params (string Name, string Value)[] headers) =>
        Build($"/v1beta/models/{model}:generateContent", body, headers);

    public static HttpRequestMessage Stream(string model = Flash25, bool sse = true, string? body = null, params (string Name, string Value)[] headers) =>
        Build($"/v1beta/models/{model}:streamGenerateContent" + (sse ? "?alt=sse" : string.Empty), body, headers);

    public static HttpRequestMessage Build(string path, string? body, (string Name, string Value)[] headers, HttpMethod? method = null)
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Post, path);
        if (body is not null || method is null)
        {
            request.Content = new StringContent(body ?? Body, Encoding.UTF8, "application/json");
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", FakeUpstreamFixture.ApiKey);
        request.Headers.Add("x-request-id", GeminiRequests.NewRequestId());
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }
}

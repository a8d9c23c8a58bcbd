using System.Net.Http.Headers;
using System.Text;

namespace Routescope.Gateway.Tests.Infrastructure;

/// <summary>Builds Gemini requests the way clients send them.</summary>
public static class GeminiRequests
{
    public const string ImageModel = "gemini-2.5-flash-image";

    public const string TextOnlyBody = """{"contents":[{"role":"user","parts":[{"text":"A lighthouse at dusk"}]}],"generationConfig":{"responseModalities":["IMAGE"]}}""";

    public enum Credential
    {
        Bearer,
        GoogApiKey,
    }

    public static HttpRequestMessage Generate(string? key, string model = ImageModel, string body = TextOnlyBody, Credential credential = Credential.Bearer, string? requestId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1beta/models/{model}:generateContent")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        return WithIdentity(request, key, credential, requestId);
    }

    public static HttpRequestMessage WithIdentity(HttpRequestMessage request, string? key, Credential credential = Credential.Bearer, string? requestId = null)
    {
        if (key is not null)
        {
            if (credential == Credential.Bearer)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }
            else
            {
                request.Headers.Add("x-goog-api-key", key);
            }
        }

        request.Headers.Add("x-request-id", requestId ?? NewRequestId());
        return request;
    }

    public static string NewRequestId() => "test-" + Guid.NewGuid().ToString("N");

    public static string RequestId(HttpRequestMessage request) => request.Headers.GetValues("x-request-id").Single();

    /// <summary>A response header's values joined with commas; null when the response has none.</summary>
    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}

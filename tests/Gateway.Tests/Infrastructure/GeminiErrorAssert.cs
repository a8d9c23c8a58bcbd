using System.Net;
using System.Text.Json;

namespace Routescope.Gateway.Tests.Infrastructure;

public static class GeminiErrorAssert
{
    /// <summary>Asserts the Gemini error shape with the expected code and status; returns the message.</summary>
    public static async Task<string> IsErrorAsync(HttpResponseMessage response, HttpStatusCode expected, string rpcStatus)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return IsError(await response.Content.ReadAsStringAsync(), (int)expected, rpcStatus);
    }

    public static string IsError(string body, int code, string rpcStatus)
    {
        using var json = JsonDocument.Parse(body);
        var error = json.RootElement.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetInt32());
        Assert.Equal(rpcStatus, error.GetProperty("status").GetString());
        var message = error.GetProperty("message").GetString();
        Assert.False(string.IsNullOrWhiteSpace(message));
        return message!;
    }
}

using System.Text.Json;

namespace Routescope.Fake;

/// <summary>The one writer of the fake's Google-style error bodies.</summary>
internal static class FakeErrors
{
    /// <summary>
    /// <c>{"error":{"code","message","status"}}</c>; with <paramref name="usageJson"/>, a usageMetadata beside it, as
    /// some relays send on failures: a reader that bills any usageMetadata it finds would bill an error.
    /// </summary>
    public static string Json(int status, string message, string? usageJson = null)
    {
        var rpc = status switch
        {
            400 => "INVALID_ARGUMENT",
            401 => "UNAUTHENTICATED",
            403 => "PERMISSION_DENIED",
            404 => "NOT_FOUND",
            429 => "RESOURCE_EXHAUSTED",
            503 => "UNAVAILABLE",
            504 => "DEADLINE_EXCEEDED",
            _ => "INTERNAL",
        };
        var error = JsonSerializer.Serialize(new { code = status, message, status = rpc });
        return "{\"error\":" + error + (usageJson is null ? string.Empty : ",\"usageMetadata\":" + usageJson) + "}";
    }
}

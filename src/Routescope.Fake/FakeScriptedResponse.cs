namespace Routescope.Fake;

/// <summary>An answer a test scripts instead of the fake's normal one.</summary>
public sealed record FakeScriptedResponse
{
    public required int StatusCode { get; init; }

    /// <summary>Body bytes written as is; null writes a Google-style error for <see cref="StatusCode"/>.</summary>
    public byte[]? Body { get; init; }

    public string ContentType { get; init; } = "application/json; charset=UTF-8";

    /// <summary>Further response headers (e.g. <c>Content-Encoding</c> for a body the test compressed itself).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Delay before the response headers are sent.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Abort the connection without any response (simulates a dropped upstream).</summary>
    public bool Abort { get; init; }

    /// <summary>Answer 200, send this many bytes of <see cref="Body"/>, then abort: a failure in mid-body.</summary>
    public int? AbortAfterBodyBytes { get; init; }
}

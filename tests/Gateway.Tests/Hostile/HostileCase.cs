namespace Routescope.Gateway.Tests.Hostile;

/// <summary>
/// One request of the hostile-input corpus, as written in <c>Corpus/&lt;class&gt;.json</c>: its bytes and what the
/// gateway must do with them.
/// </summary>
public sealed record HostileCase
{
    /// <summary>The corpus file (one per class) the case came from.</summary>
    public string Class { get; init; } = "";

    public required string Name { get; init; }

    /// <summary>The request as bytes written as text: each character one byte (Latin-1), so <c>\u00ff</c> is 0xFF.</summary>
    public string? Raw { get; init; }

    /// <summary>The request bytes in base64, for requests that are not text at all; placeholders still expand.</summary>
    public string? Base64 { get; init; }

    /// <summary>The statuses any of which is right; 0 means no HTTP response at all (the connection just closes).</summary>
    public required IReadOnlyList<int> Status { get; init; }

    /// <summary>
    /// <c>gemini</c>: the body is a Gemini-style error with the status's code; <c>optional</c>: the body is empty
    /// (Kestrel's parser answers without one) or a Gemini-style error; <c>any</c>: not checked (a forwarded answer).
    /// </summary>
    public string Error { get; init; } = "gemini";

    /// <summary>Text the error message must contain (case-insensitively), e.g. the header or parameter it names.</summary>
    public string? MessageContains { get; init; }

    /// <summary>Whether any byte of this request may reach the upstream's socket.</summary>
    public bool UpstreamMaySee { get; init; }

    /// <summary>When forwarded: the request target the upstream must get (the gateway's canonical one).</summary>
    public string? ForwardedTarget { get; init; }

    /// <summary>Text that must not appear in anything sent toward the upstream (compared case-insensitively).</summary>
    public IReadOnlyList<string> UpstreamMustNotContain { get; init; } = [];

    /// <summary>The gateway must close the connection after its one answer (no second response to smuggled bytes).</summary>
    public bool Closes { get; init; }

    /// <summary>An upper bound on the whole answer, for requests built to make the error itself huge.</summary>
    public long? MaxResponseBytes { get; init; }

    /// <summary>The model whose breaker must still be closed afterwards: a valid request for it must succeed.</summary>
    public string Model { get; init; } = "gemini-2.5-flash-image";

    /// <summary>Send the bytes slowly: this many bytes, then a pause of <see cref="DripIntervalMs"/>, and so on.</summary>
    public int? DripBytes { get; init; }

    public int DripIntervalMs { get; init; }

    /// <summary>Send only the first this many bytes and then nothing more (the connection stays open).</summary>
    public int? StallAfterBytes { get; init; }

    /// <summary>The issue 18 defect whose fix this case waits for; null when it must pass now.</summary>
    public int? Defect { get; init; }

    /// <summary>Why the case expects what it expects, when the name alone does not say.</summary>
    public string? Note { get; init; }

    public bool IsSlow => DripBytes is not null || StallAfterBytes is not null;

    public override string ToString() => Class + "/" + Name;
}

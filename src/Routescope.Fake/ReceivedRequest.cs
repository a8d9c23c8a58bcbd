namespace Routescope.Fake;

/// <summary>What the fake upstream saw of one request: enough for tests to prove what was (not) forwarded.</summary>
public sealed record ReceivedRequest
{
    public required string Method { get; init; }
    public required string Path { get; init; }
    public required string QueryString { get; init; }
    public required IReadOnlyDictionary<string, string> Headers { get; init; }
    public required long BodyLength { get; init; }

    /// <summary>Lower-case hex SHA-256 of the body bytes as received.</summary>
    public required string BodySha256 { get; init; }

    /// <summary>The body itself when it is at most <see cref="FakeUpstream.KeptBodyLimit"/> bytes, else null.</summary>
    public byte[]? Body { get; init; }

    /// <summary>Model segment of the path (<c>models/{model}:op</c>), or null for other paths.</summary>
    public string? Model { get; init; }

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

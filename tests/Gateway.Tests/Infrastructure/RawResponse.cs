namespace Routescope.Gateway.Tests.Infrastructure;

/// <summary>One response as it came off the socket: status, headers (names lower-cased, repeats joined) and body.</summary>
public sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;
}

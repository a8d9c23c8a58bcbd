using System.Buffers;

namespace Routescope.Gateway.Hygiene;

/// <summary>
/// What a request header value may hold: visible ASCII, space and horizontal tab (RFC 9110 §5.5, without its
/// obsolete obs-text). Kestrel decodes header bytes as ASCII and falls back to UTF-8 (Latin-1 only where a
/// <c>RequestHeaderEncodingSelector</c> asks for it, which the gateway does not), so every byte of 0x80 or above reaches
/// the string as a char of U+0080 or above and every control byte as the same control char: checking the decoded
/// string checks the bytes. Kestrel itself refuses NUL, CR, LF and invalid UTF-8 before any middleware runs.
/// </summary>
internal static class HeaderValueRule
{
    private static readonly SearchValues<char> Allowed = SearchValues.Create(AllowedCharacters());

    // RFC 9110 §5.1 and §5.6.2: a field name is a token. Kestrel lets control characters and DEL in names through.
    private static readonly SearchValues<char> TokenCharacters =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    /// <summary>True when a header name is not an RFC 9110 token.</summary>
    public static bool HasRefusedName(IHeaderDictionary headers)
    {
        foreach (var name in headers.Keys)
        {
            if (name.AsSpan().ContainsAnyExcept(TokenCharacters))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The client-facing reason for a header name that is no token; the name itself is not repeated (it is not text).</summary>
    public const string NameMessage = "A header name contains a character that is not allowed in field names (RFC 9110 §5.1).";

    /// <summary>True when every character of the value is allowed.</summary>
    public static bool IsAllowed(ReadOnlySpan<char> value) => !value.ContainsAnyExcept(Allowed);

    /// <summary>The name of the first header with a value the rule refuses; null when every value keeps it.</summary>
    public static string? FirstRefused(IHeaderDictionary headers)
    {
        foreach (var (name, values) in headers)
        {
            foreach (var value in values)
            {
                if (value is not null && !IsAllowed(value))
                {
                    return name;
                }
            }
        }

        return null;
    }

    /// <summary>The client-facing reason, naming the header but never repeating its value (it may be a credential).</summary>
    public static string Message(string header) => "Header " + header + " contains a non-ASCII or control character (RFC 9110 §5.5).";

    private static string AllowedCharacters() => string.Create(1 + 0x7E - 0x20 + 1, 0, static (span, _) =>
    {
        span[0] = '\t';
        for (var c = 0x20; c <= 0x7E; c++)
        {
            span[c - 0x20 + 1] = (char)c;
        }
    });
}

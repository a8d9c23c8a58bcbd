using Microsoft.Extensions.Primitives;

namespace Routescope.Gateway.Gemini;

/// <summary>
/// What a proxied request may say besides its path. Google's front end honours system parameters on every API: a
/// field mask (<c>fields</c>, <c>$fields</c>, the <c>X-Goog-FieldMask</c> header) would let a caller strip the
/// <c>usageMetadata</c> the gateway bills from, and <c>alt</c> picks the answer's format, which metering must read. So
/// field masks are refused, <c>alt</c> is only <c>json</c> (or <c>sse</c> on a stream), and the upstream query is built
/// from the few parameters named here; everything else, <c>key</c> included, is dropped.
/// Names are read decoded (<c>%24fields</c> is <c>$fields</c>) and, as ASP.NET's query collection is, case-insensitively.
/// </summary>
internal static class GeminiQuery
{
    public const string FieldMaskHeader = "X-Goog-FieldMask";

    public const string Alt = "alt";

    private const string PageSize = "pageSize";
    private const string PageToken = "pageToken";

    private static readonly string[] FieldMasks = ["fields", "$fields"];

    /// <summary>Why the request cannot be forwarded as asked; null when it can.</summary>
    public static string? Refusal(GeminiOperation operation, IQueryCollection query, IHeaderDictionary headers)
    {
        if (headers.ContainsKey(FieldMaskHeader))
        {
            return $"Header {FieldMaskHeader} is not accepted: a field mask could remove the usage the gateway bills from.";
        }

        foreach (var (name, _) in query)
        {
            foreach (var mask in FieldMasks)
            {
                if (string.Equals(name, mask, StringComparison.OrdinalIgnoreCase))
                {
                    return $"Query parameter {mask} is not accepted: a field mask could remove the usage the gateway bills from.";
                }
            }
        }

        foreach (var name in (ReadOnlySpan<string>)[Alt, PageSize, PageToken])
        {
            if (query.TryGetValue(name, out var values) && values.Count > 1)
            {
                return $"Query parameter {name} may be given only once.";
            }
        }

        return query.TryGetValue(Alt, out var alt) && !IsAllowedAlt(operation, alt)
            ? operation == GeminiOperation.StreamGenerateContent
                ? "Query parameter alt must be sse or json."
                : "Query parameter alt must be json (sse is for streamGenerateContent only)."
            : null;
    }

    /// <summary>Whether a query parameter reaches the upstream: <c>alt</c>, and the paging of the model list.</summary>
    public static bool IsForwarded(GeminiOperation operation, string name) =>
        string.Equals(name, Alt, StringComparison.OrdinalIgnoreCase)
        || (operation == GeminiOperation.ListModels
            && (string.Equals(name, PageSize, StringComparison.OrdinalIgnoreCase) || string.Equals(name, PageToken, StringComparison.OrdinalIgnoreCase)));

    /// <summary>The upstream's spelling of a forwarded parameter, whatever case the client used.</summary>
    public static string CanonicalName(string name) =>
        string.Equals(name, PageSize, StringComparison.OrdinalIgnoreCase) ? PageSize
        : string.Equals(name, PageToken, StringComparison.OrdinalIgnoreCase) ? PageToken
        : Alt;

    private static bool IsAllowedAlt(GeminiOperation operation, StringValues alt) =>
        alt.ToString() is "json" || (alt.ToString() is "sse" && operation == GeminiOperation.StreamGenerateContent);
}

using Microsoft.Extensions.Primitives;

namespace Routescope.Gateway.Metering.Decoding;

/// <summary>
/// Reads a <c>Content-Encoding</c> header (RFC 9110 §8.4): a comma-separated list of codings, applied in order, over one
/// or more header lines. <c>identity</c> entries are no coding at all.
/// </summary>
internal static class ContentCodings
{
    /// <summary>The one coding to undo; more than one real coding is Unsupported.</summary>
    public static ContentCoding Parse(StringValues header) => Read(header, out _);

    /// <summary>A bounded name for the header, fit for a metric tag: the coding, <c>stacked</c> or <c>other</c>.</summary>
    public static string Label(StringValues header)
    {
        var coding = Read(header, out var name);
        return coding switch
        {
            ContentCoding.Identity => "identity",
            ContentCoding.Gzip => "gzip",
            ContentCoding.Deflate => "deflate",
            ContentCoding.Brotli => "br",
            _ when name is null => "stacked",
            _ when name.Equals("zstd", StringComparison.OrdinalIgnoreCase) => "zstd",
            _ when name.Equals("compress", StringComparison.OrdinalIgnoreCase) || name.Equals("x-compress", StringComparison.OrdinalIgnoreCase) => "compress",
            _ => "other",
        };
    }

    /// <summary>The coding, and the one real coding's name (null when there are none or several).</summary>
    private static ContentCoding Read(StringValues header, out string? name)
    {
        var found = ContentCoding.Identity;
        var codings = 0;
        name = null;
        foreach (var value in header)
        {
            var text = value.AsSpan();
            foreach (var range in text.Split(','))
            {
                var token = text[range].Trim();
                if (token.IsEmpty || token.Equals("identity", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                codings++;
                found = Of(token);
                name = codings == 1 ? token.ToString() : null;
            }
        }

        return codings > 1 ? ContentCoding.Unsupported : found;
    }

    private static ContentCoding Of(ReadOnlySpan<char> token) =>
        token.Equals("gzip", StringComparison.OrdinalIgnoreCase) || token.Equals("x-gzip", StringComparison.OrdinalIgnoreCase) ? ContentCoding.Gzip
        : token.Equals("deflate", StringComparison.OrdinalIgnoreCase) ? ContentCoding.Deflate
        : token.Equals("br", StringComparison.OrdinalIgnoreCase) ? ContentCoding.Brotli
        : ContentCoding.Unsupported;
}

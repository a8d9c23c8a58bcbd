using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Routescope.Fake;

/// <summary>
/// Picks the response coding from Accept-Encoding as a real server does (RFC 9110 §12.5.3): the highest q-value among
/// the codings it can send wins, ties go to the server's preference (br, then gzip, then deflate), <c>*</c> stands for
/// every coding not named, q=0 forbids; identity when nothing acceptable was asked for, or when it is named with a
/// higher q-value than every coding.
/// </summary>
internal static class ContentCodingNegotiation
{
    private static readonly (string Name, ContentCoding Coding)[] Preference =
    [
        ("br", ContentCoding.Brotli),
        ("gzip", ContentCoding.Gzip),
        ("deflate", ContentCoding.Deflate),
    ];

    public static ContentCoding Choose(string? acceptEncoding)
    {
        if (string.IsNullOrWhiteSpace(acceptEncoding)
            || !StringWithQualityHeaderValue.TryParseList([acceptEncoding], out var offered))
        {
            return ContentCoding.Identity;
        }

        var best = ContentCoding.Identity;
        double bestQuality = 0;
        foreach (var (name, coding) in Preference)
        {
            var quality = Quality(offered, name) ?? Quality(offered, "*") ?? 0;
            if (quality > bestQuality)
            {
                (best, bestQuality) = (coding, quality);
            }
        }

        // Identity needs no asking, so it only wins when named with a higher q-value than every coding on offer.
        if (Quality(offered, "identity") is { } identity && identity > bestQuality)
        {
            return ContentCoding.Identity;
        }

        return best;
    }

    /// <summary>The q-value given to <paramref name="name"/>, or null when it is not named.</summary>
    private static double? Quality(IList<StringWithQualityHeaderValue> offered, string name)
    {
        double? quality = null;
        foreach (var value in offered)
        {
            if (StringSegment.Equals(value.Value, name, StringComparison.OrdinalIgnoreCase))
            {
                quality = Math.Max(quality ?? 0, value.Quality ?? 1);
            }
        }

        return quality;
    }
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace Routescope.Gateway.Admin;

/// <summary>
/// Times an admin gives (<c>expiresAt</c>, <c>--expires-at</c>): ISO-8601 with an explicit offset, so that the meaning
/// never depends on the time zone of the machine that reads it.
/// </summary>
internal static partial class IsoTime
{
    public const string Rule = "an ISO-8601 time with an offset, e.g. 2027-01-01T00:00:00Z";

    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        return text is not null
            && Shape().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Shape();
}

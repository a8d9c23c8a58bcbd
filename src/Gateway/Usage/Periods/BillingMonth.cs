using System.Globalization;

namespace Routescope.Gateway.Usage.Periods;

/// <summary>UTC calendar months, spelled <c>yyyy-MM</c>: the periods that close.</summary>
internal static class BillingMonth
{
    public static string Of(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static DateTimeOffset Start(DateTimeOffset time) => new(time.UtcDateTime.Year, time.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero);

    public static bool TryParse(string? text, out DateTimeOffset start)
    {
        var ok = DateTime.TryParseExact(text, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var month);
        start = ok ? new DateTimeOffset(month.Year, month.Month, 1, 0, 0, 0, TimeSpan.Zero) : default;
        return ok;
    }
}

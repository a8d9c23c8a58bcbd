using System.Globalization;

namespace Routescope.Gateway.Exports;

/// <summary>
/// FOCUS date-times: UTC, whole seconds, <c>YYYY-MM-DDTHH:mm:ssZ</c> (attributes/datetime_format.md). The other
/// exports keep milliseconds; FOCUS's pattern has none, so periods are widened to whole seconds instead.
/// </summary>
internal static class FocusTime
{
    public const string Pattern = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    public static string? Format(DateTimeOffset? time) => time?.UtcDateTime.ToString(Pattern, CultureInfo.InvariantCulture);

    public static DateTimeOffset Floor(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    public static DateTimeOffset Ceiling(DateTimeOffset time)
    {
        var floor = Floor(time);
        return floor.UtcTicks == time.UtcTicks ? floor : floor.AddSeconds(1);
    }
}

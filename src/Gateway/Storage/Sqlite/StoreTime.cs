using System.Data.Common;
using System.Globalization;

namespace Routescope.Gateway.Storage.Sqlite;

/// <summary>
/// Timestamps are stored as fixed-width ISO-8601 UTC text so that SQLite compares them correctly as strings.
/// </summary>
internal static class StoreTime
{
    private const string Format_ = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string Format(DateTimeOffset value) => value.UtcDateTime.ToString(Format_, CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string value) =>
        new(DateTime.ParseExact(value, Format_, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), TimeSpan.Zero);

    /// <summary>A timestamp column of the current row.</summary>
    public static DateTimeOffset Read(DbDataReader reader, int ordinal) => Parse(reader.GetString(ordinal));
}

using System.Globalization;

namespace Routescope.Gateway.Exports;

/// <summary>How the text formats (CSV, and JSON's strings) spell a value of each kind.</summary>
internal static class ExportText
{
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string Format(ExportKind kind, object? value) => value switch
    {
        null => string.Empty,
        decimal amount when kind == ExportKind.Money => ExportMoney.Format(amount),
        DateTimeOffset time => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture),
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}

using System.Globalization;

namespace Routescope.Gateway.Exports;

/// <summary>A validated export or summary request: <c>[From, To)</c>, grouping and format.</summary>
internal sealed record UsageQuery
{
    public required DateTimeOffset From { get; init; }
    public required DateTimeOffset To { get; init; }
    public required UsageGrouping Grouping { get; init; }
    public required UsageFormat Format { get; init; }

    /// <summary>The <c>format</c> values, as the error and the CLI's help name them.</summary>
    public const string Formats = "csv, json, focus or xlsx";

    /// <summary>Parses the query's words; the error names the parameter and what it accepts.</summary>
    public static (UsageQuery? Query, string? Error) Parse(string? from, string? to, string? groupBy, string? format, DateTimeOffset now)
    {
        var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        if (!TryTime(from, monthStart, out var start))
        {
            return (null, "from: expected a date (2026-11-01) or an ISO-8601 time (2026-11-01T00:00:00Z)");
        }

        if (!TryTime(to, now, out var end))
        {
            return (null, "to: expected a date (2026-12-01) or an ISO-8601 time (2026-12-01T00:00:00Z)");
        }

        if (end <= start)
        {
            return (null, "to: must be after from (the range is [from, to))");
        }

        if (!UsageGroupings.TryParse(groupBy, out var grouping, out var groupingError))
        {
            return (null, groupingError);
        }

        UsageFormat? parsed = (format ?? "csv").ToLowerInvariant() switch
        {
            "csv" => UsageFormat.Csv,
            "json" => UsageFormat.Json,
            "focus" => UsageFormat.Focus,
            "xlsx" => UsageFormat.Xlsx,
            _ => null,
        };
        if (parsed is not { } kind)
        {
            return (null, "format: expected " + Formats);
        }

        return (new UsageQuery { From = start, To = end, Grouping = grouping, Format = kind }, null);
    }

    private static bool TryTime(string? text, DateTimeOffset fallback, out DateTimeOffset value)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            value = fallback;
            return true;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            value = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return true;
        }

        var ok = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
        value = value.ToUniversalTime();
        return ok;
    }
}

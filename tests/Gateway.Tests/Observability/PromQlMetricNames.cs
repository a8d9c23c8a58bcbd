using System.Text.RegularExpressions;

namespace Routescope.Gateway.Tests.Observability;

/// <summary>
/// The metric names a PromQL expression selects: identifiers left once strings, label matchers, ranges, grouping
/// label lists, function calls, keywords, numbers and Grafana variables are taken out.
/// </summary>
public static partial class PromQlMetricNames
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool", "and", "or", "unless",
        "sum", "min", "max", "avg", "count", "stddev", "stdvar", "topk", "bottomk", "quantile", "count_values", "group", "inf", "nan",
    };

    public static IEnumerable<string> In(string expression)
    {
        var rest = Strings().Replace(expression, " ");
        rest = Matchers().Replace(rest, " ");
        rest = Ranges().Replace(rest, " ");
        rest = Grouping().Replace(rest, " ");
        foreach (Match match in Identifiers().Matches(rest))
        {
            var name = match.Groups["name"].Value;
            var called = match.Groups["call"].Success;
            if (!called && !Keywords.Contains(name) && match.Groups["var"].Value.Length == 0)
            {
                yield return name;
            }
        }
    }

    /// <summary>The metric of a Grafana <c>label_values(metric, label)</c> variable query, or null for another kind.</summary>
    public static string? OfLabelValues(string query) => LabelValues().Match(query) is { Success: true } match ? match.Groups[1].Value : null;

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"(?<var>\$?)\b(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<call>\s*\()?")]
    private static partial Regex Identifiers();

    [GeneratedRegex(@"label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*,")]
    private static partial Regex LabelValues();
}

namespace Routescope.Gateway.Exports;

/// <summary>The <c>groupBy</c> parameter: a comma-separated combination of dimensions, or <c>none</c>.</summary>
internal static class UsageGroupings
{
    public const string Accepted = "none, or a comma-separated combination of key, group, model, requestedModel, day, month (e.g. group,month)";

    private static readonly Dictionary<string, UsageGrouping> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["key"] = UsageGrouping.Key,
        ["group"] = UsageGrouping.Group,
        ["model"] = UsageGrouping.Model,
        ["requestedModel"] = UsageGrouping.RequestedModel,
        ["day"] = UsageGrouping.Day,
        ["month"] = UsageGrouping.Month,
    };

    /// <summary>Parses the parameter; the error names the word it does not know or sees twice.</summary>
    public static bool TryParse(string? text, out UsageGrouping grouping, out string? error)
    {
        grouping = UsageGrouping.None;
        error = null;
        var words = (text ?? "none").Split(',', StringSplitOptions.TrimEntries);
        if (words is [var only] && (only.Length == 0 || only.Equals("none", StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        foreach (var word in words)
        {
            if (!Names.TryGetValue(word, out var dimension))
            {
                error = $"groupBy: '{Shown(word)}' is not a dimension; expected {Accepted}";
                return false;
            }

            if (grouping.HasFlag(dimension))
            {
                error = $"groupBy: '{Shown(word)}' is named twice";
                return false;
            }

            grouping |= dimension;
        }

        return true;
    }

    /// <summary>The grouping as the parameter spells it, in a fixed order: <c>key,model,day</c>.</summary>
    public static string Name(UsageGrouping grouping) => grouping == UsageGrouping.None
        ? "none"
        : string.Join(",", Names.Where(name => grouping.HasFlag(name.Value)).Select(name => name.Key));

    private static string Shown(string word) => word.Length > 40 ? word[..40] + "…" : word;
}

namespace Routescope.Gateway.Usage;

/// <summary>The groupings an export or summary accepts, as the <c>groupBy</c> parameter spells them.</summary>
internal static class UsageGroupings
{
    public const string Accepted = "none, key, key,model, key,day, key,model,day";

    public static bool TryParse(string? text, out UsageGrouping grouping)
    {
        grouping = (text ?? "none").Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant() switch
        {
            "" or "none" => UsageGrouping.None,
            "key" => UsageGrouping.Key,
            "key,model" => UsageGrouping.Key | UsageGrouping.Model,
            "key,day" => UsageGrouping.Key | UsageGrouping.Day,
            "key,model,day" => UsageGrouping.Key | UsageGrouping.Model | UsageGrouping.Day,
            _ => (UsageGrouping)(-1),
        };
        return (int)grouping >= 0;
    }
}

using Routescope.Gateway.Usage;

namespace Routescope.Gateway.Storage;

/// <summary>How both usage stores order an export so the aggregator meets each group's rows together.</summary>
internal static class UsageOrdering
{
    /// <summary>
    /// The ORDER BY that brings a grouping's rows together (then by start time and id), given how the store writes the
    /// UTC day of <c>started_at</c>.
    /// </summary>
    public static string OrderBy(UsageGrouping grouping, string day) => grouping switch
    {
        UsageGrouping.None => "started_at, record_id",
        _ when grouping.HasFlag(UsageGrouping.Model) && grouping.HasFlag(UsageGrouping.Day) => $"key_id, served_model, {day}, started_at, record_id",
        _ when grouping.HasFlag(UsageGrouping.Model) => "key_id, served_model, started_at, record_id",
        _ when grouping.HasFlag(UsageGrouping.Day) => $"key_id, {day}, started_at, record_id",
        _ => "key_id, started_at, record_id",
    };
}

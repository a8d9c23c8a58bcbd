namespace Routescope.Gateway.Exports;

/// <summary>What exports and summaries group records by: any combination, or none (one row per record).</summary>
[Flags]
internal enum UsageGrouping
{
    None = 0,
    Key = 1,
    Model = 2,
    Day = 4,
    Group = 8,
    RequestedModel = 16,
    Month = 32,
}

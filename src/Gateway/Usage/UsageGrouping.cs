namespace Routescope.Gateway.Usage;

/// <summary>How exports and summaries group records: <c>none</c>, <c>key</c>, <c>key,model</c>, <c>key,day</c>, <c>key,model,day</c>.</summary>
[Flags]
internal enum UsageGrouping
{
    None = 0,
    Key = 1,
    Model = 2,
    Day = 4,
}

using Routescope.Gateway.Usage.Periods;

namespace Routescope.Gateway.Exports;

/// <summary>Says, as an export starts, up to when it is complete and what is still on its way.</summary>
internal sealed class ExportMetadataSource(UsageBacklog backlog, TimeProvider time)
{
    public ExportMetadata Describe(UsageQuery query)
    {
        var now = time.GetUtcNow();
        var pending = backlog.Records;
        return new ExportMetadata
        {
            From = query.From,
            To = query.To,
            GroupBy = UsageGroupings.Name(query.Grouping),
            GeneratedAt = now,
            Watermark = now,
            Backlog = pending,
        };
    }
}

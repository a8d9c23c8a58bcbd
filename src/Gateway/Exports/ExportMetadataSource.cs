using Routescope.Gateway.Usage.Periods;

namespace Routescope.Gateway.Exports;

/// <summary>
/// Says, as an export starts (before its first row is read), up to when it is complete and what is still on its way:
/// the watermark and backlog of this replica and of the live replicas sharing the store (<see cref="UsageWatermark"/>).
/// </summary>
internal sealed class ExportMetadataSource(UsageWatermark watermark)
{
    public async Task<ExportMetadata> DescribeAsync(UsageQuery query, CancellationToken cancellationToken)
    {
        var measure = await watermark.MeasureAsync(cancellationToken);
        return new ExportMetadata
        {
            From = query.From,
            To = query.To,
            GroupBy = UsageGroupings.Name(query.Grouping),
            GeneratedAt = measure.Now,
            Watermark = measure.Watermark,
            Backlog = measure.Records,
        };
    }
}

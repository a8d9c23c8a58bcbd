using System.Globalization;

using Routescope.Gateway.Usage;

namespace Routescope.Gateway.Exports;

/// <summary>
/// Writes exports straight from the store to a stream, in the format asked for: rows are read, converted and written
/// one at a time (grouped ones as one running sum per group), so a month of records exports in bounded memory. The
/// admin API and the CLI share it.
/// </summary>
internal sealed class UsageExporter(IUsageStore store, IEnumerable<IUsageExportFormat> formats, ExportMetadataSource metadata)
{
    private readonly Dictionary<UsageFormat, IUsageExportFormat> _formats = formats.ToDictionary(format => format.Format);

    public IUsageExportFormat FormatOf(UsageQuery query) => _formats[query.Format];

    public string FileName(UsageQuery query) => string.Create(CultureInfo.InvariantCulture,
        $"usage-{query.From:yyyyMMdd}-{query.To:yyyyMMdd}.{FormatOf(query).Extension}");

    /// <summary>What the export will say about itself, taken before its first row is read.</summary>
    public Task<ExportMetadata> DescribeAsync(UsageQuery query, CancellationToken cancellationToken) => metadata.DescribeAsync(query, cancellationToken);

    public Task WriteAsync(Stream output, UsageQuery query, ExportMetadata described, CancellationToken cancellationToken) =>
        FormatOf(query).WriteAsync(output, new ExportRequest(query, described, store.ReadAsync(query.From, query.To, cancellationToken)), cancellationToken);
}

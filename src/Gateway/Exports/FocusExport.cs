using System.Collections.Immutable;
using System.Runtime.CompilerServices;

using Microsoft.Extensions.Options;

using Routescope.Gateway.Usage;

namespace Routescope.Gateway.Exports;

/// <summary>
/// FinOps FOCUS 1.2 as CSV: one row per charge (record × kind of token or image), or per group × served model × kind
/// for a grouped export. BilledCost is what the relay bills (the upstream cost), x_ChargebackCost the team's share.
/// Unpriced records have no FOCUS row: FOCUS allows neither a null nor a placeholder cost on a usage row.
/// </summary>
internal sealed class FocusExport(IOptions<FocusOptions> options) : IUsageExportFormat
{
    private readonly ImmutableArray<ExportColumn<FocusCharge>> _columns = FocusColumns.For(options.Value);

    public UsageFormat Format => UsageFormat.Focus;

    public string ContentType => "text/csv; charset=utf-8";

    public string Extension => "csv";

    public Task WriteAsync(Stream output, ExportRequest request, CancellationToken cancellationToken)
    {
        var charges = ChargesAsync(request.Records, cancellationToken);
        var rows = request.Query.Grouping == UsageGrouping.None
            ? charges
            : FocusAggregator.AggregateAsync(charges, request.Query.Grouping, request.Query.From, request.Query.To, cancellationToken);
        return CsvExport.WriteAsync(output, _columns, rows, cancellationToken);
    }

    private static async IAsyncEnumerable<FocusCharge> ChargesAsync(IAsyncEnumerable<UsageRecord> records, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            foreach (var charge in FocusCharges.Of(record))
            {
                yield return charge;
            }
        }
    }
}

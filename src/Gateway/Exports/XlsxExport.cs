using Routescope.Gateway.Usage;

namespace Routescope.Gateway.Exports;

/// <summary>
/// A workbook for people opening files by hand: typed cells (date-times, numbers, integers, text that stays text),
/// titled columns under a frozen header, the totals per currency at the end, a sheet explaining every column. The
/// records stream through (one running total per currency); grouped rows are one per group, as in every format.
/// </summary>
internal sealed class XlsxExport : IUsageExportFormat
{
    public UsageFormat Format => UsageFormat.Xlsx;

    public string ContentType => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public string Extension => "xlsx";

    public async Task WriteAsync(Stream output, ExportRequest request, CancellationToken cancellationToken)
    {
        if (request.Query.Grouping == UsageGrouping.None)
        {
            // A column's number format is fixed before its first row, and it names the currency only if every row
            // shares it: one pass over the store for the currencies (a handful of strings), a second for the rows.
            var currencies = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var record in request.Records.WithCancellation(cancellationToken))
            {
                currencies.Add(record.Currency);
            }

            var sheet = new XlsxSheet<UsageRecord>(RecordColumns.All, currencies);
            await XlsxPipe.WriteAsync(output, (stream, stop) =>
                XlsxWorkbook.Write(stream, sheet, RecordRows(sheet, request.Records.ToBlockingEnumerable(stop)), request.Metadata), cancellationToken);
        }
        else
        {
            // As many as the groups, which the aggregator holds anyway until its first row.
            var rows = new List<UsageAggregate>();
            await foreach (var row in request.Aggregates(cancellationToken))
            {
                rows.Add(row);
            }

            var sheet = new XlsxSheet<UsageAggregate>(AggregateColumns.All, rows.Select(row => row.Currency));
            await XlsxPipe.WriteAsync(output, (stream, _) =>
                XlsxWorkbook.Write(stream, sheet, AggregateRows(sheet, rows, request.Query), request.Metadata), cancellationToken);
        }
    }

    private static IEnumerable<Dictionary<string, object?>> RecordRows(XlsxSheet<UsageRecord> sheet, IEnumerable<UsageRecord> records)
    {
        var totals = new XlsxTotals<UsageRecord>(sheet);
        var any = false;
        foreach (var record in records)
        {
            if (sheet.Currency is { } currency && record.Currency != currency)
            {
                // Kept between the passes in another currency (another replica's setting): its amounts would show
                // under the wrong currency's format. Better no file than a wrong one; the next export has it right.
                throw new InvalidOperationException($"A record in {record.Currency} arrived during an export in {currency}; export again.");
            }

            totals.Add(record);
            any = true;
            yield return sheet.Row(record);
        }

        foreach (var total in totals.Rows())
        {
            yield return total;
        }

        if (!any)
        {
            yield return sheet.Nothing();
        }
    }

    private static IEnumerable<Dictionary<string, object?>> AggregateRows(XlsxSheet<UsageAggregate> sheet, List<UsageAggregate> rows, UsageQuery query)
    {
        foreach (var row in rows)
        {
            yield return sheet.Row(row);
        }

        foreach (var total in UsageAggregator.Totals(rows, query.From, query.To))
        {
            yield return sheet.Total(sheet.Row(total), total.Currency);
        }

        if (rows.Count == 0)
        {
            yield return sheet.Nothing();
        }
    }
}

using System.Collections.Immutable;
using System.Globalization;
using System.Text;

using CsvHelper;
using CsvHelper.Configuration;

namespace Routescope.Gateway.Exports;

/// <summary>
/// CSV for machines: snake_case headers, ISO-8601 UTC times, invariant numbers, amounts at the fixed scale. Opened by
/// hand, spreadsheets turn some text into other things (16:9 becomes a time of day): the xlsx export is for people.
/// </summary>
internal sealed class CsvExport : IUsageExportFormat
{
    private static readonly CsvConfiguration Csv = new(CultureInfo.InvariantCulture)
    {
        // Key names are user input: a leading = + - @ must not become a spreadsheet formula.
        InjectionOptions = InjectionOptions.Escape,
        NewLine = "\r\n",
    };

    public UsageFormat Format => UsageFormat.Csv;

    public string ContentType => "text/csv; charset=utf-8";

    public string Extension => "csv";

    public async Task WriteAsync(Stream output, ExportRequest request, CancellationToken cancellationToken)
    {
        if (request.Query.Grouping == UsageGrouping.None)
        {
            await WriteAsync(output, RecordColumns.All, request.Records, cancellationToken);
        }
        else
        {
            await WriteAsync(output, AggregateColumns.All, request.Aggregates(cancellationToken), cancellationToken);
        }
    }

    /// <summary>Writes <paramref name="rows"/> under a header of <paramref name="columns"/>, flushing every thousand rows.</summary>
    public static async Task WriteAsync<TRow>(Stream output, ImmutableArray<ExportColumn<TRow>> columns, IAsyncEnumerable<TRow> rows, CancellationToken cancellationToken)
    {
        // UTF-8 with a byte order mark: spreadsheets then read non-ASCII key names right when the file is opened.
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 64 * 1024, leaveOpen: true);
        await using var csv = new CsvWriter(writer, Csv);
        foreach (var column in columns)
        {
            csv.WriteField(column.CsvName);
        }

        await csv.NextRecordAsync();
        var written = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            foreach (var column in columns)
            {
                csv.WriteField(ExportText.Format(column.Kind, column.Value(row)));
            }

            await csv.NextRecordAsync();
            if (++written % 1000 == 0)
            {
                await csv.FlushAsync();
            }
        }

        await csv.FlushAsync();
    }
}

using System.Globalization;
using System.Runtime.CompilerServices;

using Routescope.Gateway.Exports;
using Routescope.Gateway.Tests.Storage;
using Routescope.Gateway.Usage;

namespace Routescope.Gateway.Tests.Exports;

/// <summary>The workbook writer on records of its own: mixed currencies, and rows streamed rather than gathered.</summary>
public sealed class XlsxWorkbookTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The output's length as the source handed out its last record (of its last reading).</summary>
    private long _writtenAtLastRecord;

    [Fact]
    public async Task Mixed_currencies_get_a_total_each_and_amounts_without_a_currency_symbol()
    {
        UsageRecord[] records =
        [
            StoreContractTests.Record("a", "k1", "m", Start.AddHours(1), 0.08m),
            StoreContractTests.Record("b", "k1", "m", Start.AddHours(2), 0.16m) with { Currency = "EUR" },
            StoreContractTests.Record("c", "k2", "m", Start.AddHours(3), 0.24m),
        ];
        var output = new MemoryStream();

        await new XlsxExport().WriteAsync(output, Request(UsageGrouping.None, Source(records)), CancellationToken.None);

        var rows = new XlsxFile(output.ToArray()).Rows("Usage");
        var header = rows[0].Values.ToDictionary(cell => cell.Value!, cell => cell.Column);
        Assert.Equal(("n", "#,##0.0000000000"), (rows[1][header["Chargeback cost"]].Type, rows[1][header["Chargeback cost"]].Format));
        Assert.False(header.ContainsKey("Chargeback cost (USD)"));
        var totals = rows.Where(row => row[0].Value?.StartsWith("Total", StringComparison.Ordinal) == true)
            .ToDictionary(row => row[0].Value!, row => (Currency: row[header["Currency"]].Value, Chargeback: decimal.Parse(row[header["Chargeback cost"]].Value!, CultureInfo.InvariantCulture)));
        Assert.Equal(new Dictionary<string, (string?, decimal)> { ["Total (EUR)"] = ("EUR", 0.16m), ["Total (USD)"] = ("USD", 0.32m) }, totals);

        var grouped = new MemoryStream();
        await new XlsxExport().WriteAsync(grouped, Request(UsageGrouping.Month, Source(records)), CancellationToken.None);
        var groupedRows = new XlsxFile(grouped.ToArray()).Rows("Usage");
        var cost = AggregateColumns.All.IndexOf(AggregateColumns.All.Single(c => c.CsvName == "chargeback_cost"));
        Assert.Equal(["Total (EUR)", "Total (USD)"], groupedRows.Where(row => row.GetValueOrDefault(0)?.Value?.StartsWith("Total", StringComparison.Ordinal) == true).Select(row => row[0].Value));
        Assert.Equal([0.16m, 0.32m], groupedRows[^2..].Select(row => decimal.Parse(row[cost].Value!, CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Rows_reach_the_output_while_the_records_are_still_being_read()
    {
        const int Count = 40_000;
        var records = Enumerable.Range(0, Count).Select(i => StoreContractTests.Record("r" + i, "k", "m", Start.AddSeconds(i), 0.008m)).ToArray();
        var output = new XlsxProbeStream();

        await new XlsxExport().WriteAsync(output, Request(UsageGrouping.None, Source(records, () => output.Written)), CancellationToken.None);

        // Gathered first (in a list, or MiniExcel's FastMode buffering the sheet), the rows would only leave after the
        // last record; streamed, all but what the pipe and the writer's buffers hold has left by then.
        var length = output.Length;
        Assert.True(_writtenAtLastRecord > length / 2, $"{_writtenAtLastRecord} of the file's {length} bytes had left as the last of {Count} records was read");
        Assert.Equal(Count + 2, new XlsxFile(output.ToArray()).Rows("Usage").Count);
    }

    private static ExportRequest Request(UsageGrouping grouping, IAsyncEnumerable<UsageRecord> records)
    {
        var query = new UsageQuery { From = Start, To = Start.AddMonths(1), Grouping = grouping, Format = UsageFormat.Xlsx };
        var metadata = new ExportMetadata { From = query.From, To = query.To, GroupBy = UsageGroupings.Name(grouping), GeneratedAt = Start, Watermark = Start, Backlog = 0 };
        return new ExportRequest(query, metadata, records);
    }

    /// <summary>The records as a store streams them, noting (with <paramref name="written"/>) the output's length at the last one.</summary>
    private async IAsyncEnumerable<UsageRecord> Source(UsageRecord[] records, Func<long>? written = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < records.Length; i++)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            if (i == records.Length - 1 && written is not null)
            {
                Interlocked.Exchange(ref _writtenAtLastRecord, written());
            }

            yield return records[i];
        }
    }
}

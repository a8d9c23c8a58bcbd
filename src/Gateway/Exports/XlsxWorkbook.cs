using System.Globalization;

using MiniExcelLibs;
using MiniExcelLibs.Attributes;
using MiniExcelLibs.OpenXml;

namespace Routescope.Gateway.Exports;

/// <summary>
/// The workbook: <see cref="UsageSheet"/> (the rows under a frozen header, then the totals), <see cref="ColumnsSheet"/>
/// (every column's title, CSV name, what it holds and what it means) and <see cref="ExportSheet"/> (what the export
/// covers and how complete it is), written synchronously by MiniExcel (see <see cref="XlsxPipe"/> for why).
/// </summary>
internal static class XlsxWorkbook
{
    public const string UsageSheet = "Usage";
    public const string ColumnsSheet = "Columns";
    public const string ExportSheet = "Export";

    // The other sheets' column keys hold a colon, which no export column's CSV name does: they never meet.
    private const string ColumnTitle = "columns:title";
    private const string ColumnCsvName = "columns:csv_name";
    private const string ColumnHolds = "columns:holds";
    private const string ColumnDescription = "columns:description";
    private const string ExportItem = "export:item";
    private const string ExportValue = "export:value";

    private static readonly DynamicExcelColumn[] OtherSheets =
    [
        new(ColumnTitle) { Name = "Column", Width = 32 },
        new(ColumnCsvName) { Name = "CSV name", Width = 28 },
        new(ColumnHolds) { Name = "Holds", Width = 26 },
        new(ColumnDescription) { Name = "Description", Width = 120 },
        new(ExportItem) { Name = "Item", Width = 32 },
        new(ExportValue) { Name = "Value", Width = 120 },
    ];

    /// <summary>Writes the workbook, enumerating <paramref name="rows"/> as it goes (the rows are never all in memory).</summary>
    public static void Write<TRow>(Stream output, XlsxSheet<TRow> sheet, IEnumerable<Dictionary<string, object?>> rows, ExportMetadata metadata)
    {
        var configuration = new OpenXmlConfiguration
        {
            // FastMode would buffer every sheet in memory (its zip is opened for update); the default streams.
            FastMode = false,
            FreezeRowCount = 1,
            // A filter over the rows would take the totals rows in too.
            AutoFilter = false,
            // Any culture but the invariant one makes MiniExcel write numbers and dates as text.
            Culture = CultureInfo.InvariantCulture,
            DynamicColumns = [.. sheet.Layout(), .. OtherSheets],
        };
        var sheets = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [UsageSheet] = rows,
            [ColumnsSheet] = Columns(sheet),
            [ExportSheet] = About(sheet, metadata),
        };
        MiniExcel.SaveAs(output, sheets, configuration: configuration);
    }

    private static List<Dictionary<string, object?>> Columns<TRow>(XlsxSheet<TRow> sheet) =>
    [
        .. sheet.Columns.Select(column => new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [ColumnTitle] = sheet.Title(column),
            [ColumnCsvName] = column.CsvName,
            [ColumnHolds] = XlsxCells.Holds(column.Kind),
            [ColumnDescription] = column.Description,
        }),
    ];

    private static List<Dictionary<string, object?>> About<TRow>(XlsxSheet<TRow> sheet, ExportMetadata metadata)
    {
        static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var currencies = sheet.Currencies.IsEmpty ? "none" : string.Join(", ", sheet.Currencies);
        (string Item, object Value)[] items =
        [
            ("From (UTC)", Time(metadata.From)),
            ("To (UTC, exclusive)", Time(metadata.To)),
            ("Grouped by", metadata.GroupBy),
            ("Generated at (UTC)", Time(metadata.GeneratedAt)),
            ("Complete up to (UTC)", Time(metadata.Watermark)),
            ("Records still on their way", metadata.Backlog),
            ("Complete", metadata.Complete ? "yes" : "no: records can still arrive for this range"),
            ("Currencies", currencies),
            ("Totals", $"The last rows of {UsageSheet}, one per currency ('{XlsxSheet<TRow>.TotalLabel("USD")}'), are sums the gateway computed "
                + "(values, not formulas): token counts and amounts, never added across currencies."),
            ("Amounts", sheet.Currency is null
                ? "Amounts of several currencies: the amounts' format shows none, each row's Currency column says which."
                : $"Every amount is in {sheet.Currency}."),
            ("Precision", "Amounts show 10 decimal places, rounded half to even. A spreadsheet keeps about 15 significant digits; "
                + "the csv and json exports carry the exact figures."),
        ];
        return [.. items.Select(item => new Dictionary<string, object?>(StringComparer.Ordinal) { [ExportItem] = item.Item, [ExportValue] = item.Value })];
    }
}

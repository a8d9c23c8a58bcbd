using System.Collections.Immutable;

using MiniExcelLibs.Attributes;

namespace Routescope.Gateway.Exports;

/// <summary>
/// The data sheet of a workbook: one column per export column, under its title, in the number format of its kind.
/// A sheet's column has one format for all its rows, so amounts carry a currency in their format only when every row
/// of the export is of that one currency (<see cref="Currency"/>); with several, the format has none and the row's
/// currency column says which, and the totals are one row per currency.
/// </summary>
internal sealed class XlsxSheet<TRow>
{
    public XlsxSheet(ImmutableArray<ExportColumn<TRow>> columns, IEnumerable<string> currencies)
    {
        Columns = columns;
        Currencies = [.. currencies.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        // Only a plain ISO 4217 code goes into a format code, where any other character could mean something.
        Currency = Currencies is [var one] && one.Length == 3 && one.All(char.IsAsciiLetterUpper) ? one : null;
        CurrencyColumn = columns.Single(column => column.CsvName == "currency");
    }

    public ImmutableArray<ExportColumn<TRow>> Columns { get; }

    /// <summary>The currencies of the export's rows, in order.</summary>
    public ImmutableArray<string> Currencies { get; }

    /// <summary>The one currency of every amount, shown in the amounts' format and titles; null when mixed (or none).</summary>
    public string? Currency { get; }

    public ExportColumn<TRow> CurrencyColumn { get; }

    /// <summary>The column's header: its title, and for amounts their currency when the sheet has one.</summary>
    public string Title(ExportColumn<TRow> column) =>
        column.Kind == ExportKind.Money && Currency is not null ? $"{column.Title} ({Currency})" : column.Title;

    public IEnumerable<DynamicExcelColumn> Layout() => Columns.Select(column => new DynamicExcelColumn(column.CsvName)
    {
        Name = Title(column),
        Format = XlsxCells.NumberFormat(column.Kind, Currency),
        Width = XlsxCells.Width(column.Kind),
    });

    public Dictionary<string, object?> Row(TRow row)
    {
        var cells = new Dictionary<string, object?>(Columns.Length, StringComparer.Ordinal);
        foreach (var column in Columns)
        {
            cells[column.CsvName] = XlsxCells.Value(column.Kind, column.Value(row));
        }

        return cells;
    }

    /// <summary>A row with every cell empty: the writer takes the columns from each row's keys, so all must be there.</summary>
    public Dictionary<string, object?> Empty()
    {
        var cells = new Dictionary<string, object?>(Columns.Length, StringComparer.Ordinal);
        foreach (var column in Columns)
        {
            cells[column.CsvName] = null;
        }

        return cells;
    }

    /// <summary>A totals row's cells, labelled in the first column (the row of sums is computed, not formulas).</summary>
    public Dictionary<string, object?> Total(Dictionary<string, object?> cells, string currency)
    {
        cells[Columns[0].CsvName] = TotalLabel(currency);
        cells[CurrencyColumn.CsvName] = currency;
        return cells;
    }

    public static string TotalLabel(string currency) => $"Total ({currency})";

    /// <summary>The row a sheet without usage gets, so it still has its header.</summary>
    public Dictionary<string, object?> Nothing()
    {
        var cells = Empty();
        cells[Columns[0].CsvName] = "No usage in this range";
        return cells;
    }
}

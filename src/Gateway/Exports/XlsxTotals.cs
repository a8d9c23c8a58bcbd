namespace Routescope.Gateway.Exports;

/// <summary>
/// The totals of a per-record sheet, added up as its rows stream past: per currency (amounts of different currencies
/// are never summed), every token count and every amount, at full precision and rounded once at the end, as a grouped
/// row is. Counts that are not quantities (a status code) are not summed.
/// </summary>
internal sealed class XlsxTotals<TRow>(XlsxSheet<TRow> sheet)
{
    private readonly ExportColumn<TRow>[] _summed = [.. sheet.Columns.Where(IsSummed)];
    private readonly SortedDictionary<string, decimal[]> _sums = new(StringComparer.Ordinal);

    public static bool IsSummed(ExportColumn<TRow> column) =>
        column.Kind == ExportKind.Money || (column.Kind == ExportKind.Integer && column.CsvName.EndsWith("_tokens", StringComparison.Ordinal));

    public void Add(TRow row)
    {
        var currency = (string)sheet.CurrencyColumn.Value(row)!;
        if (!_sums.TryGetValue(currency, out var sums))
        {
            _sums[currency] = sums = new decimal[_summed.Length];
        }

        for (var i = 0; i < _summed.Length; i++)
        {
            // An unpriced record's amounts are empty: nothing to add, as the grouped exports count them.
            sums[i] += _summed[i].Value(row) is { } value ? Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        }
    }

    /// <summary>One row per currency seen, in the currencies' order.</summary>
    public IEnumerable<Dictionary<string, object?>> Rows()
    {
        foreach (var (currency, sums) in _sums)
        {
            var cells = sheet.Empty();
            for (var i = 0; i < _summed.Length; i++)
            {
                cells[_summed[i].CsvName] = _summed[i].Kind == ExportKind.Money ? ExportMoney.Round(sums[i]) : (long)sums[i];
            }

            yield return sheet.Total(cells, currency);
        }
    }
}

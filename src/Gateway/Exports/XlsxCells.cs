namespace Routescope.Gateway.Exports;

/// <summary>
/// How the spreadsheet writes a value of each kind: as a typed cell (a date-time, a number, an integer, text) with
/// the number format that makes it read right, never as text a spreadsheet might reinterpret.
/// </summary>
internal static class XlsxCells
{
    public const string TimeFormat = "yyyy-mm-dd hh:mm:ss.000";

    public const string IntegerFormat = "#,##0";

    /// <summary>Ten places, as <see cref="ExportMoney.Scale"/>: every amount of every row shows the same digits.</summary>
    public const string AmountFormat = "#,##0.0000000000";

    /// <summary>
    /// An amount's format: with the currency's ISO code (<c>[$USD] </c>, how Excel and LibreOffice spell a currency
    /// symbol of one's own) when every amount of the sheet is of that currency; without one when they are mixed, and
    /// then the row's currency column says which.
    /// </summary>
    public static string MoneyFormat(string? currency) => currency is null ? AmountFormat : $"[${currency}] {AmountFormat}";

    /// <summary>The column's number format; null leaves it General (text, and exact decimals such as ratios and prices).</summary>
    public static string? NumberFormat(ExportKind kind, string? currency) => kind switch
    {
        ExportKind.Time => TimeFormat,
        ExportKind.Money => MoneyFormat(currency),
        ExportKind.Integer => IntegerFormat,
        _ => null,
    };

    /// <summary>Wide enough that no value shows as ####.</summary>
    public static double Width(ExportKind kind) => kind switch
    {
        ExportKind.Time => 24,
        ExportKind.Money => 24,
        ExportKind.Text => 22,
        _ => 14,
    };

    /// <summary>What the column holds, in words, for the sheet that explains the columns.</summary>
    public static string Holds(ExportKind kind) => kind switch
    {
        ExportKind.Text => "text",
        ExportKind.Integer => "whole number",
        ExportKind.Number => "number",
        ExportKind.Decimal => "exact decimal",
        ExportKind.Money => "amount (10 decimal places)",
        ExportKind.Time => "date and time (UTC)",
        _ => kind.ToString(),
    };

    /// <summary>
    /// The cell's value: times as UTC date-times (a spreadsheet has no offsets), amounts at the fixed scale, integers
    /// as integers, text as text (so 16:9 stays 16:9; it is written as a string cell, never parsed), nothing as an
    /// empty cell.
    /// </summary>
    public static object? Value(ExportKind kind, object? value) => value switch
    {
        null => null,
        string { Length: 0 } => null,
        string text => text,
        _ when kind == ExportKind.Text => ExportText.Format(kind, value),
        DateTimeOffset time => time.UtcDateTime,
        decimal amount when kind == ExportKind.Money => ExportMoney.Round(amount),
        int number => (long)number,
        _ => value,
    };
}

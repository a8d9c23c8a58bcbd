using System.Text.Json;

namespace Routescope.Gateway.Exports;

/// <summary>
/// One column of an export: its names (snake_case in CSV, camelCase in JSON, words in a spreadsheet), what it holds,
/// what it means (the data dictionary) and how to read it off a row. Every format writes from the same columns.
/// </summary>
internal sealed class ExportColumn<TRow>(string property, ExportKind kind, string description, Func<TRow, object?> value, string? csvName = null)
{
    public string Property => property;

    /// <summary>The CSV header: snake_case of the property, unless the format names its columns itself (FOCUS).</summary>
    public string CsvName { get; } = csvName ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(property);

    public string JsonName { get; } = JsonNamingPolicy.CamelCase.ConvertName(property);

    public ExportKind Kind => kind;

    public string Description => description;

    /// <summary>The row's value: a string, int, long, double, decimal or DateTimeOffset, or null.</summary>
    public object? Value(TRow row) => value(row);
}

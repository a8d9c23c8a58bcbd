using System.Text;
using System.Text.Json;

namespace Routescope.Gateway.Exports;

/// <summary>
/// One column of an export: its names (snake_case in CSV, camelCase in JSON, words in a spreadsheet), what it holds,
/// what it means (the data dictionary) and how to read it off a row. Every format writes from the same columns.
/// </summary>
internal sealed class ExportColumn<TRow>(string property, ExportKind kind, string description, Func<TRow, object?> value, string? csvName = null, string? title = null)
{
    /// <summary>Words that read better in capitals in a header finance reads.</summary>
    private static readonly Dictionary<string, string> Acronyms = new(StringComparer.OrdinalIgnoreCase)
    {
        ["id"] = "ID",
        ["http"] = "HTTP",
        ["ms"] = "(ms)",
    };

    public string Property => property;

    /// <summary>The CSV header: snake_case of the property, unless the format names its columns itself (FOCUS).</summary>
    public string CsvName { get; } = csvName ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(property);

    public string JsonName { get; } = JsonNamingPolicy.CamelCase.ConvertName(property);

    /// <summary>
    /// The spreadsheet's header, for people: given, or the property in words (<c>UpstreamCost</c> → "Upstream cost",
    /// <c>KeyId</c> → "Key ID", <c>LatencyMs</c> → "Latency (ms)"); times say they are UTC.
    /// </summary>
    public string Title { get; } = title ?? Words(property, kind);

    public ExportKind Kind => kind;

    public string Description => description;

    /// <summary>The row's value: a string, int, long, double, decimal or DateTimeOffset, or null.</summary>
    public object? Value(TRow row) => value(row);

    private static string Words(string name, ExportKind kind)
    {
        // Through snake_case, which already splits PascalCase, digits and FOCUS's x_ prefix the way the CSV does.
        var words = JsonNamingPolicy.SnakeCaseLower.ConvertName(name).Split('_', StringSplitOptions.RemoveEmptyEntries);
        var title = new StringBuilder();
        foreach (var word in words)
        {
            var spelled = Acronyms.TryGetValue(word, out var acronym) ? acronym : word;
            title.Append(title.Length == 0 ? char.ToUpperInvariant(spelled[0]) + spelled[1..] : " " + spelled);
        }

        return kind == ExportKind.Time ? title + " (UTC)" : title.ToString();
    }
}

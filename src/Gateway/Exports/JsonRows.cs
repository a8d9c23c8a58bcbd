using System.Collections.Immutable;
using System.Text.Json;

namespace Routescope.Gateway.Exports;

/// <summary>
/// Rows as JSON objects keyed by camelCase column names. Amounts, prices and ratios are strings (amounts at the fixed
/// scale), so no consumer reads money as floating point; counts are numbers; times are ISO-8601 UTC strings.
/// </summary>
internal static class JsonRows
{
    public static void Write<TRow>(Utf8JsonWriter json, ImmutableArray<ExportColumn<TRow>> columns, TRow row)
    {
        json.WriteStartObject();
        foreach (var column in columns)
        {
            var value = column.Value(row);
            switch (value)
            {
                case null:
                    json.WriteNull(column.JsonName);
                    break;
                case int number:
                    json.WriteNumber(column.JsonName, number);
                    break;
                case long number:
                    json.WriteNumber(column.JsonName, number);
                    break;
                case double number:
                    json.WriteNumber(column.JsonName, number);
                    break;
                default:
                    json.WriteString(column.JsonName, ExportText.Format(column.Kind, value));
                    break;
            }
        }

        json.WriteEndObject();
    }

    /// <summary>The metadata's fields, written into the object <paramref name="json"/> is in.</summary>
    public static void WriteMetadata(Utf8JsonWriter json, ExportMetadata metadata)
    {
        json.WriteString("from", ExportText.Format(ExportKind.Time, metadata.From));
        json.WriteString("to", ExportText.Format(ExportKind.Time, metadata.To));
        json.WriteString("groupBy", metadata.GroupBy);
        json.WriteString("generatedAt", ExportText.Format(ExportKind.Time, metadata.GeneratedAt));
        json.WriteString("watermark", ExportText.Format(ExportKind.Time, metadata.Watermark));
        json.WriteNumber("backlog", metadata.Backlog);
        json.WriteBoolean("complete", metadata.Complete);
        json.WriteNumber("moneyScale", ExportMoney.Scale);
        json.WriteString("timeAttribution", "billedAt");
    }
}

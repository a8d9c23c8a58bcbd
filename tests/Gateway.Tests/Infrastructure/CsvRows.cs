using System.Globalization;

using CsvHelper;

namespace Routescope.Gateway.Tests.Infrastructure;

/// <summary>An export's CSV as rows keyed by header, the byte order mark ignored.</summary>
public static class CsvRows
{
    public static List<Dictionary<string, string>> Parse(string csv) => ParseWithHeader(csv).Rows;

    /// <summary>The rows, and the header in its order (for tests of which columns an export has, and where).</summary>
    public static (List<string> Header, List<Dictionary<string, string>> Rows) ParseWithHeader(string csv)
    {
        using var reader = new CsvReader(new StringReader(csv.TrimStart('\uFEFF')), CultureInfo.InvariantCulture);
        var rows = new List<Dictionary<string, string>>();
        reader.Read();
        reader.ReadHeader();
        var header = reader.HeaderRecord!.ToList();
        while (reader.Read())
        {
            rows.Add(header.ToDictionary(h => h, h => reader.GetField(h)!, StringComparer.Ordinal));
        }

        return (header, rows);
    }
}

using System.Globalization;

using CsvHelper;

namespace Routescope.Gateway.Tests.Infrastructure;

/// <summary>An export's CSV as rows keyed by header, the byte order mark ignored.</summary>
public static class CsvRows
{
    public static List<Dictionary<string, string>> Parse(string csv)
    {
        using var reader = new CsvReader(new StringReader(csv.TrimStart('\uFEFF')), CultureInfo.InvariantCulture);
        var rows = new List<Dictionary<string, string>>();
        reader.Read();
        reader.ReadHeader();
        while (reader.Read())
        {
            rows.Add(reader.HeaderRecord!.ToDictionary(h => h, h => reader.GetField(h)!));
        }

        return rows;
    }
}

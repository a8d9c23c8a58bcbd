using System.IO.Compression;
using System.Xml.Linq;

namespace Routescope.Gateway.Tests.Exports;

/// <summary>
/// A workbook read from its XML, as a spreadsheet application reads it: what MiniExcel's reader does not show (each
/// cell's type and number format, the frozen pane), cell by cell.
/// </summary>
public sealed class XlsxFile
{
    private static readonly XNamespace Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private static readonly XNamespace Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private static readonly XNamespace PackageRelationships = "http://schemas.openxmlformats.org/package/2006/relationships";

    private readonly Dictionary<string, XDocument> _sheets = new(StringComparer.Ordinal);
    private readonly List<string> _formats = [];

    public XlsxFile(byte[] bytes)
    {
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        XDocument Load(string name)
        {
            using var entry = (zip.GetEntry(name) ?? throw new InvalidOperationException($"The workbook has no {name}.")).Open();
            return XDocument.Load(entry);
        }

        var targets = Load("xl/_rels/workbook.xml.rels").Descendants(PackageRelationships + "Relationship")
            .ToDictionary(r => (string)r.Attribute("Id")!, r => ((string)r.Attribute("Target")!).TrimStart('/'));
        foreach (var sheet in Load("xl/workbook.xml").Descendants(Main + "sheet"))
        {
            var target = targets[(string)sheet.Attribute(Relationships + "id")!];
            _sheets[(string)sheet.Attribute("name")!] = Load(target.StartsWith("xl/", StringComparison.Ordinal) ? target : "xl/" + target);
            SheetNames.Add((string)sheet.Attribute("name")!);
        }

        var styles = Load("xl/styles.xml");
        var codes = styles.Descendants(Main + "numFmt").ToDictionary(f => (int)f.Attribute("numFmtId")!, f => (string)f.Attribute("formatCode")!);
        foreach (var xf in styles.Root!.Element(Main + "cellXfs")!.Elements(Main + "xf"))
        {
            var id = (int?)xf.Attribute("numFmtId") ?? 0;
            _formats.Add(codes.TryGetValue(id, out var code) ? code : id == 0 ? "General" : "builtin:" + id);
        }
    }

    public List<string> SheetNames { get; } = [];

    /// <summary>The sheet's rows, in order, each its cells by column index (0 for A).</summary>
    public List<Dictionary<int, XlsxCell>> Rows(string sheet) =>
    [
        .. _sheets[sheet].Descendants(Main + "row").Select(row => row.Elements(Main + "c").Select(Cell).ToDictionary(cell => cell.Column)),
    ];

    /// <summary>The sheet's pane: its state, vertical split and top-left cell.</summary>
    public (string? State, string? YSplit, string? TopLeftCell) Pane(string sheet)
    {
        var pane = _sheets[sheet].Descendants(Main + "pane").SingleOrDefault();
        return ((string?)pane?.Attribute("state"), (string?)pane?.Attribute("ySplit"), (string?)pane?.Attribute("topLeftCell"));
    }

    private XlsxCell Cell(XElement cell)
    {
        var reference = (string)cell.Attribute("r")!;
        var column = reference.TakeWhile(char.IsAsciiLetter).Aggregate(0, (index, letter) => (index * 26) + (letter - 'A' + 1)) - 1;
        var value = cell.Element(Main + "v")?.Value ?? cell.Element(Main + "is")?.Value;
        return new XlsxCell(column, (string?)cell.Attribute("t") ?? "n", _formats[(int?)cell.Attribute("s") ?? 0], value);
    }
}

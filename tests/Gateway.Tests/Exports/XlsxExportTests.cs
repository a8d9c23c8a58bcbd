using System.Globalization;
using System.Net;


using MiniExcelLibs;

using Routescope.Gateway.Cli;
using Routescope.Gateway.Exports;
using Routescope.Gateway.Tests.Infrastructure;
using Routescope.Gateway.Tests.Usage;
using Routescope.Gateway.Usage;

namespace Routescope.Gateway.Tests.Exports;

/// <summary><c>format=xlsx</c>: a workbook that opens as is, read back cell by cell, against the CSV, from the CLI, and by LibreOffice.</summary>
public sealed class XlsxExportTests(UsageFixture gateway) : IClassFixture<UsageFixture>, IAsyncLifetime
{
    private const string Range = "from=2000-01-01&to=2100-01-01";
    private const string UsdAmount = "[$USD] #,##0.0000000000";

    private readonly List<string> _ids = [];
    private CreatedKey _key = null!;
    private UsageRecord _wide = null!;

    public async Task InitializeAsync()
    {
        // A name that is a formula: it must stay text in every application that opens the file.
        _key = await gateway.CreateKeyAsync("=1+1", "discounted");
        (string Model, string Body)[] requests =
        [
            (GeminiRequests.ImageModel, RequestBodies.Generate(aspectRatio: "16:9")),
            ("gemini-3-pro-image-preview", GeminiRequests.TextOnlyBody),
            (GeminiRequests.ImageModel, GeminiRequests.TextOnlyBody),
        ];
        foreach (var (model, body) in requests)
        {
            using var request = GeminiRequests.Generate(_key.Key, model: model, body: body);
            using var response = await gateway.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            _ids.Add(GeminiRequests.RequestId(request));
        }

        _wide = (await gateway.RecordsAsync(_ids)).Single(r => r.RequestId == _ids[0]);
        Assert.Equal("16:9", _wide.AspectRatio);
        Assert.True(_wide.UpstreamCost > 0 && _wide.ChargebackCost == _wide.UpstreamCost * 0.8m, "the 16:9 record is priced, with the group's ratio");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Format_xlsx_is_served_as_a_workbook_file()
    {
        using var admin = gateway.AdminClient();
        using var response = await admin.GetAsync(new Uri($"/admin/usage/export?{Range}&format=xlsx", UriKind.Relative));
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("usage-20000101-21000101.xlsx", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal("PK"u8.ToArray(), bytes[..2]); // a zip: the Office Open XML package
        Assert.NotNull(response.Headers.GetValues("X-Usage-Watermark").Single());
    }

    [Fact]
    public async Task Per_request_cells_are_typed_under_titles_a_frozen_header_and_totals_that_add_up()
    {
        var bytes = await ExportAsync("groupBy=none");
        var file = new XlsxFile(bytes);

        Assert.Equal(["Usage", "Columns", "Export"], file.SheetNames);
        Assert.Equal(("frozen", "1", "A2"), file.Pane("Usage"));
        var rows = file.Rows("Usage");
        var header = rows[0].Values.ToDictionary(cell => cell.Value!, cell => cell.Column);
        Assert.Equal(RecordColumns.All.Length, header.Count);
        foreach (var title in new[] { "Request ID", "Ended at (UTC)", "Key name", "HTTP status", "Prompt tokens", "Aspect ratio", "Latency (ms)", "Channel ratio", "Upstream cost (USD)", "Chargeback cost (USD)" })
        {
            Assert.True(header.ContainsKey(title), $"no column titled '{title}' in: {string.Join(", ", header.Keys)}");
        }

        var wide = rows.Single(row => row.GetValueOrDefault(header["Request ID"])?.Value == _wide.RequestId);
        var time = wide[header["Ended at (UTC)"]];
        Assert.Equal(("n", "yyyy-mm-dd hh:mm:ss.000"), (time.Type, time.Format));
        Assert.InRange((DateTime.FromOADate(double.Parse(time.Value!, CultureInfo.InvariantCulture)) - _wide.EndedAt.UtcDateTime).Duration(), TimeSpan.Zero, TimeSpan.FromMilliseconds(1));
        var upstream = wide[header["Upstream cost (USD)"]];
        Assert.Equal(("n", UsdAmount), (upstream.Type, upstream.Format));
        Assert.Equal(ExportMoney.Round(_wide.UpstreamCost!.Value), decimal.Parse(upstream.Value!, CultureInfo.InvariantCulture));
        Assert.Equal(ExportMoney.Round(_wide.ChargebackCost!.Value), decimal.Parse(wide[header["Chargeback cost (USD)"]].Value!, CultureInfo.InvariantCulture));
        var tokens = wide[header["Prompt tokens"]];
        Assert.Equal(("n", "#,##0", _wide.PromptTokens.ToString(CultureInfo.InvariantCulture)), (tokens.Type, tokens.Format, tokens.Value));
        Assert.Equal(("str", "16:9"), (wide[header["Aspect ratio"]].Type, wide[header["Aspect ratio"]].Value));
        Assert.Equal(("str", "=1+1"), (wide[header["Key name"]].Type, wide[header["Key name"]].Value));
        Assert.Equal(("n", "1.1"), (wide[header["Channel ratio"]].Type, wide[header["Channel ratio"]].Value));
        Assert.DoesNotContain(rows.SelectMany(row => row.Values), cell => cell.Value?.Contains(_key.Key, StringComparison.Ordinal) == true);

        // The library's own reader sees the same types.
        var read = MiniExcel.Query(new MemoryStream(bytes), useHeaderRow: true, sheetName: "Usage").Cast<IDictionary<string, object?>>().ToList();
        var mine = read.Single(row => (string?)row["Request ID"] == _wide.RequestId);
        Assert.IsType<DateTime>(mine["Ended at (UTC)"]);
        Assert.Equal((double)ExportMoney.Round(_wide.UpstreamCost.Value), Assert.IsType<double>(mine["Upstream cost (USD)"]));
        Assert.Equal((double)_wide.PromptTokens, Assert.IsType<double>(mine["Prompt tokens"]));
        Assert.Equal("16:9", mine["Aspect ratio"]);

        // The last row sums every row above it (computed values), in the one currency of the export.
        var total = rows[^1];
        Assert.Equal("Total (USD)", total[header["Request ID"]].Value);
        foreach (var title in new[] { "Prompt tokens", "Candidates tokens", "Total tokens", "Output image tokens", "Upstream cost (USD)", "Chargeback cost (USD)" })
        {
            var sum = rows[1..^1].Sum(row => row.TryGetValue(header[title], out var cell) && cell.Value is { } value ? decimal.Parse(value, CultureInfo.InvariantCulture) : 0);
            Assert.True(sum > 0, title);
            Assert.Equal(("n", sum), (total[header[title]].Type, decimal.Parse(total[header[title]].Value!, CultureInfo.InvariantCulture)));
        }

        Assert.Null(total.GetValueOrDefault(header["HTTP status"])?.Value); // a status is not a quantity

        // The second sheet explains every column: its title as in the header, its CSV name, its meaning.
        var columns = MiniExcel.Query(new MemoryStream(bytes), useHeaderRow: true, sheetName: "Columns").Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(RecordColumns.All.Select(c => c.CsvName), columns.Select(c => (string?)c["CSV name"]));
        Assert.Equal(RecordColumns.All.Select(c => c.Description), columns.Select(c => (string?)c["Description"]));
        Assert.Equal(rows[0].OrderBy(cell => cell.Key).Select(cell => cell.Value.Value), columns.Select(c => (string?)c["Column"]));
        Assert.Equal(("frozen", "1"), (file.Pane("Columns").State, file.Pane("Columns").YSplit));
    }

    [Fact]
    public async Task Grouped_workbook_has_the_csv_exports_figures()
    {
        using var admin = gateway.AdminClient();
        var csv = ParseCsv(await admin.GetStringAsync(new Uri($"/admin/usage/export?{Range}&groupBy=group,month", UriKind.Relative)));
        var rows = new XlsxFile(await ExportAsync("groupBy=group,month")).Rows("Usage");

        Assert.Contains(csv, row => row["key_group"] == "discounted");
        Assert.Equal(csv.Count + 2, rows.Count); // the header, the rows, one total (one currency)
        for (var i = 0; i < csv.Count; i++)
        {
            for (var j = 0; j < AggregateColumns.All.Length; j++)
            {
                var column = AggregateColumns.All[j];
                AssertSameFigure(column.Kind, csv[i][column.CsvName], rows[i + 1].GetValueOrDefault(j), $"row {i + 1}, {column.CsvName}");
            }
        }

        var total = rows[^1];
        Assert.Equal("Total (USD)", total[0].Value);
        for (var j = 0; j < AggregateColumns.All.Length; j++)
        {
            var column = AggregateColumns.All[j];
            if (column.Kind is ExportKind.Money or ExportKind.Integer)
            {
                Assert.Equal(csv.Sum(row => decimal.Parse(row[column.CsvName], CultureInfo.InvariantCulture)), decimal.Parse(total[j].Value!, CultureInfo.InvariantCulture));
            }
        }
    }

    [Fact]
    public async Task The_cli_writes_the_same_workbook()
    {
        var path = Path.Combine(gateway.DataDirectory, "usage.xlsx");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await GatewayCli.RunAsync(gateway.Factory.Services,
            ["usage", "export", "--from", "2000-01-01", "--to", "2100-01-01", "--format", "xlsx", "--group-by", "group,month", "--out", path], output, error, CancellationToken.None);

        Assert.True(exit == 0, error.ToString());
        var cli = new XlsxFile(await File.ReadAllBytesAsync(path));
        var api = new XlsxFile(await ExportAsync("groupBy=group,month"));
        Assert.Equal(api.SheetNames, cli.SheetNames);
        Assert.Equal(Cells(api, "Usage"), Cells(cli, "Usage"));
        Assert.Equal(Cells(api, "Columns"), Cells(cli, "Columns"));
        Assert.Contains(Cells(cli, "Usage"), cell => cell.Contains(UsdAmount, StringComparison.Ordinal));
    }

    [ToolFact("soffice")]
    public async Task LibreOffice_reads_the_aspect_ratio_as_text_and_the_amounts_as_written()
    {
        var work = Path.Combine(gateway.DataDirectory, "libreoffice-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        var workbook = Path.Combine(work, "usage.xlsx");
        await File.WriteAllBytesAsync(workbook, await ExportAsync("groupBy=none"));

        var rows = ParseCsv(await XlsxLibreOffice.ToCsvAsync(workbook, work));

        var wide = rows.Single(row => row["Request ID"] == _wide.RequestId);
        Assert.Equal("16:9", wide["Aspect ratio"]);
        Assert.Equal("=1+1", wide["Key name"]);
        // As shown: the currency format applied, the ten places kept.
        Assert.Equal("USD " + ExportMoney.Format(_wide.UpstreamCost!.Value), wide["Upstream cost (USD)"]);
        Assert.Equal("USD " + ExportMoney.Format(_wide.ChargebackCost!.Value), wide["Chargeback cost (USD)"]);
        Assert.Equal(_wide.EndedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), wide["Ended at (UTC)"][..16]);
        var total = rows.Single(row => row["Request ID"] == "Total (USD)");
        var records = rows.Where(row => row["Request ID"] != "Total (USD)").ToList();
        Assert.Equal(records.Sum(row => Amount(row["Upstream cost (USD)"])), Amount(total["Upstream cost (USD)"]));
        Assert.Equal(records.Sum(row => Amount(row["Chargeback cost (USD)"])), Amount(total["Chargeback cost (USD)"]));
    }

    private static decimal Amount(string shown)
    {
        Assert.Matches(@"^USD \d+\.\d{10}$", shown);
        return decimal.Parse(shown[4..], CultureInfo.InvariantCulture);
    }

    private static void AssertSameFigure(ExportKind kind, string csv, XlsxCell? cell, string where)
    {
        if (csv.Length == 0)
        {
            Assert.True(cell?.Value is null, $"{where}: empty in the CSV, '{cell?.Value}' in the workbook");
            return;
        }

        Assert.True(cell?.Value is not null, $"{where}: '{csv}' in the CSV, empty in the workbook");
        switch (kind)
        {
            case ExportKind.Text:
                Assert.Equal(("str", csv), (cell.Type, cell.Value));
                break;
            case ExportKind.Integer:
                Assert.Equal(("n", csv), (cell.Type, cell.Value));
                break;
            case ExportKind.Time:
                var time = DateTime.Parse(csv, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
                Assert.InRange((DateTime.FromOADate(double.Parse(cell.Value, CultureInfo.InvariantCulture)) - time).Duration(), TimeSpan.Zero, TimeSpan.FromMilliseconds(1));
                break;
            default:
                Assert.Equal(("n", decimal.Parse(csv, CultureInfo.InvariantCulture)), (cell.Type, decimal.Parse(cell.Value, CultureInfo.InvariantCulture)));
                break;
        }
    }

    private static List<string> Cells(XlsxFile file, string sheet) =>
        [.. file.Rows(sheet).SelectMany((row, i) => row.Values.Select(cell => $"{i}:{cell}"))];

    private async Task<byte[]> ExportAsync(string query)
    {
        using var admin = gateway.AdminClient();
        using var response = await admin.GetAsync(new Uri($"/admin/usage/export?{Range}&format=xlsx&{query}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static List<Dictionary<string, string>> ParseCsv(string csv) => CsvRows.Parse(csv);
}

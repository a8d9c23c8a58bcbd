using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;

using Routescope.Gateway.Errors;
using Routescope.Gateway.Usage;

namespace Routescope.Gateway.Exports;

/// <summary><c>/admin/usage/export</c> and <c>/admin/usage/summary</c>, behind the admin token.</summary>
internal static class UsageEndpoints
{
    /// <summary>The time up to which an export is complete (see <see cref="ExportMetadata.Watermark"/>).</summary>
    public const string WatermarkHeader = "X-Usage-Watermark";

    /// <summary>The records still on their way to the store as the export was made.</summary>
    public const string BacklogHeader = "X-Usage-Backlog";

    public static RouteGroupBuilder MapUsageApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/usage/export", ExportAsync);
        admin.MapGet("/usage/summary", SummaryAsync);
        return admin;
    }

    private static async Task ExportAsync(HttpContext context, UsageExporter exporter, TimeProvider time)
    {
        var (query, error) = Parse(context, time, defaultGrouping: null);
        if (query is null)
        {
            await GeminiError.WriteAsync(context, StatusCodes.Status400BadRequest, error!);
            return;
        }

        var metadata = await exporter.DescribeAsync(query, context.RequestAborted);
        Describe(context, metadata);
        context.Response.ContentType = exporter.FormatOf(query).ContentType;
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{exporter.FileName(query)}\"";
        await exporter.WriteAsync(context.Response.Body, query, metadata, context.RequestAborted);
    }

    /// <summary>
    /// <c>{"from", "to", "groupBy", "watermark", "backlog", …, "rows": [...], "totals": [...]}</c>: the same rows as the
    /// grouped export (by key unless asked otherwise), and one totals row per currency.
    /// </summary>
    private static async Task SummaryAsync(HttpContext context, IUsageStore store, ExportMetadataSource source, TimeProvider time)
    {
        var (parsed, error) = Parse(context, time, defaultGrouping: "key");
        if (parsed is null)
        {
            await GeminiError.WriteAsync(context, StatusCodes.Status400BadRequest, error!);
            return;
        }

        var query = parsed.Grouping == UsageGrouping.None ? parsed with { Grouping = UsageGrouping.Key } : parsed;
        var metadata = await source.DescribeAsync(query, context.RequestAborted);
        var rows = new List<UsageAggregate>();
        await foreach (var row in UsageAggregator.AggregateAsync(store.ReadAsync(query.From, query.To, context.RequestAborted), query.Grouping, query.From, query.To, context.RequestAborted))
        {
            rows.Add(row);
        }

        Describe(context, metadata);
        context.Response.ContentType = "application/json; charset=utf-8";
        var pipe = PipeWriter.Create(context.Response.Body, new StreamPipeWriterOptions(leaveOpen: true));
        await using (var json = new Utf8JsonWriter(pipe))
        {
            json.WriteStartObject();
            JsonRows.WriteMetadata(json, metadata);
            json.WriteStartArray("rows");
            rows.ForEach(row => JsonRows.Write(json, AggregateColumns.All, row));
            json.WriteEndArray();
            json.WriteStartArray("totals");
            foreach (var total in UsageAggregator.Totals(rows, query.From, query.To))
            {
                JsonRows.Write(json, AggregateColumns.All, total);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        await pipe.CompleteAsync();
    }

    private static void Describe(HttpContext context, ExportMetadata metadata)
    {
        context.Response.Headers[WatermarkHeader] = metadata.Watermark.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        context.Response.Headers[BacklogHeader] = metadata.Backlog.ToString(CultureInfo.InvariantCulture);
    }

    private static (UsageQuery? Query, string? Error) Parse(HttpContext context, TimeProvider time, string? defaultGrouping)
    {
        var q = context.Request.Query;
        return UsageQuery.Parse(q["from"], q["to"], q["groupBy"].FirstOrDefault() ?? defaultGrouping, q["format"], time.GetUtcNow());
    }
}

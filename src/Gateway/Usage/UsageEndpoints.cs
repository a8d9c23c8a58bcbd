using Routescope.Gateway.Errors;

namespace Routescope.Gateway.Usage;

/// <summary><c>/admin/usage/export</c> and <c>/admin/usage/summary</c>, behind the admin token.</summary>
internal static class UsageEndpoints
{
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

        context.Response.ContentType = UsageExporter.ContentType(query.Format);
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{UsageExporter.FileName(query)}\"";
        await exporter.WriteAsync(context.Response.Body, query, context.RequestAborted);
    }

    private static async Task<IResult> SummaryAsync(HttpContext context, IUsageStore store, TimeProvider time)
    {
        var (query, error) = Parse(context, time, defaultGrouping: "key");
        if (query is null)
        {
            return GeminiError.Result(StatusCodes.Status400BadRequest, error!);
        }

        var rows = new List<UsageAggregate>();
        var grouping = query.Grouping == UsageGrouping.None ? UsageGrouping.Key : query.Grouping;
        await foreach (var row in UsageAggregator.AggregateAsync(store.ReadAsync(query.From, query.To, grouping, context.RequestAborted), grouping, context.RequestAborted))
        {
            rows.Add(row);
        }

        var totals = new UsageTotals(rows.Sum(r => r.Requests), rows.Sum(r => r.PromptTokens), rows.Sum(r => r.CandidatesTokens),
            rows.Sum(r => r.TotalTokens), rows.Sum(r => r.Images), rows.Sum(r => r.Refusals), rows.Sum(r => r.Cost), rows.Sum(r => r.MeasuredCost), rows.Sum(r => r.EstimatedCost));
        return TypedResults.Ok(new UsageSummary(query.From, query.To, context.Request.Query["groupBy"].FirstOrDefault() ?? "key", rows, totals));
    }

    private static (UsageQuery? Query, string? Error) Parse(HttpContext context, TimeProvider time, string? defaultGrouping)
    {
        var q = context.Request.Query;
        return UsageQuery.Parse(q["from"], q["to"], q["groupBy"].FirstOrDefault() ?? defaultGrouping, q["format"], time.GetUtcNow());
    }
}

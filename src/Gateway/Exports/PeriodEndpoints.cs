using System.IO.Pipelines;
using System.Text.Json;

using Routescope.Gateway.Errors;
using Routescope.Gateway.Usage;
using Routescope.Gateway.Usage.Periods;

namespace Routescope.Gateway.Exports;

/// <summary><c>GET /admin/usage/periods/{yyyy-mm}</c>, behind the admin token: whether a month is closed, and its totals.</summary>
internal static class PeriodEndpoints
{
    public static RouteGroupBuilder MapUsagePeriodApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/usage/periods/{period}", PeriodAsync);
        return admin;
    }

    /// <summary>
    /// <c>{"period", "start", "end", "status": "open|closing|closed", "closed", "closedAt", "graceEndsAt", "watermark",
    /// "backlog", "totals": [one per currency, the summary's columns]}</c>. Asking closes the month (and those before it)
    /// if it is due, as the background check would at its next tick.
    /// </summary>
    private static async Task PeriodAsync(string period, HttpContext context, UsagePeriods periods, IUsageStore store)
    {
        if (!BillingMonth.TryParse(period, out var month) || BillingMonth.Of(month) != period)
        {
            await GeminiError.WriteAsync(context, StatusCodes.Status400BadRequest, "period: expected a month as yyyy-mm (2026-11)");
            return;
        }

        var status = await periods.StatusAsync(month, context.RequestAborted);
        // Read after the status: a closed month's records are final, so these are its final totals.
        var rows = new List<UsageAggregate>();
        await foreach (var row in UsageAggregator.AggregateAsync(store.ReadAsync(status.Start, status.End, context.RequestAborted), UsageGrouping.Month, status.Start, status.End, context.RequestAborted))
        {
            rows.Add(row);
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        var pipe = PipeWriter.Create(context.Response.Body, new StreamPipeWriterOptions(leaveOpen: true));
        await using (var json = new Utf8JsonWriter(pipe))
        {
            json.WriteStartObject();
            json.WriteString("period", status.Period);
            json.WriteString("start", ExportText.Format(ExportKind.Time, status.Start));
            json.WriteString("end", ExportText.Format(ExportKind.Time, status.End));
            json.WriteString("status", status.State.ToString().ToLowerInvariant());
            json.WriteBoolean("closed", status.State == PeriodState.Closed);
            if (status.ClosedAt is { } closedAt)
            {
                json.WriteString("closedAt", ExportText.Format(ExportKind.Time, closedAt));
            }
            else
            {
                json.WriteNull("closedAt");
            }

            json.WriteString("graceEndsAt", ExportText.Format(ExportKind.Time, status.GraceEndsAt));
            json.WriteString("watermark", ExportText.Format(ExportKind.Time, status.Measure.Watermark));
            json.WriteNumber("backlog", status.Measure.Records);
            json.WriteStartArray("totals");
            foreach (var total in UsageAggregator.Totals(rows, status.Start, status.End))
            {
                JsonRows.Write(json, AggregateColumns.All, total);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        await pipe.CompleteAsync();
    }
}

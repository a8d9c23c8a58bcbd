using Microsoft.Extensions.Options;

using Routescope.Gateway.Gemini;
using Routescope.Gateway.Usage;

namespace Routescope.Gateway.Metering;

/// <summary>
/// Proxy pipeline step around the attempt loop: shims the client response body so the response is observed as it
/// streams, and, however the request ends, unshims and hands the sink exactly one usage record for the request (and
/// one per attempt abandoned after the upstream got it). The end of the answer waits for those records to be durable.
/// </summary>
internal sealed class MeteringMiddleware(RequestDelegate next, UsageRecordFactory records, IUsageSink sink, IOptions<UsageOptions> options,
    MeteringMetrics metrics, ILogger<MeteringMiddleware> logger, TimeProvider time, ShutdownDeadline shutdown)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.GetGatewayRequest();
        if (!request.IsMetered)
        {
            await next(context);
            return;
        }

        // The upstream bills what it generates whether or not the client stays: the answer is read to its usage.
        var usage = options.Value;
        using var departure = new ClientDeparture(context, usage.DrainMaxBytes, usage.DrainTimeout, shutdown.Cutting);
        request.ClientLeft = departure.Left;
        var metering = new MeteringStream(context.Response, time, departure, holdEnd: usage.Durability == UsageDurability.BeforeDelivery);
        context.Response.Body = metering;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = metering.Inner;
            request.CutByShutdown = departure.CutByShutdown;
            var seen = request.Response = metering.Complete();
            metrics.Record(seen);
            if (seen.Unmetered)
            {
                MeteringLog.Unmetered(logger, seen.ContentEncoding);
            }

            await metering.DeliverRestAsync(await sink.KeepAsync(records.Create(context, request)));
        }
    }
}

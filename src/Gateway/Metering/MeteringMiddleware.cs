using Microsoft.Extensions.Options;

using Routescope.Gateway.Gemini;
using Routescope.Gateway.Usage;

namespace Routescope.Gateway.Metering;

/// <summary>
/// Proxy pipeline step around the attempt loop: shims the client response body so the response is observed as it
/// streams, and, however the request ends (answer, upstream error, truncation, client gone, exception), unshims and
/// hands the sink exactly one usage record for the request (and one per attempt abandoned after the upstream got it).
/// </summary>
internal sealed class MeteringMiddleware(
    RequestDelegate next, UsageRecordFactory records, IUsageSink sink, IOptions<UsageOptions> options, MeteringMetrics metrics, ILogger<MeteringMiddleware> logger, TimeProvider time)
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
        using var departure = new ClientDeparture(context, options.Value.DrainMaxBytes, options.Value.DrainTimeout);
        request.ClientLeft = departure.Left;
        var metering = new MeteringStream(context.Response, time, departure);
        context.Response.Body = metering;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = metering.Inner;
            var seen = request.Response = metering.Complete();
            metrics.Record(seen);
            if (seen.Unmetered)
            {
                MeteringLog.Unmetered(logger, seen.ContentEncoding);
            }

            foreach (var record in records.Create(context, request))
            {
                sink.Submit(record);
            }
        }
    }
}

using System.Diagnostics.Metrics;

using Routescope.Gateway.Gemini;
using Routescope.Gateway.Usage;

namespace Routescope.Gateway.Metering;

/// <summary>
/// Proxy pipeline step around the attempt loop: shims the client response body so the response is observed as it
/// streams, and, however the request ends (answer, upstream error, truncation, client gone, exception), unshims and
/// hands exactly one usage record to the sink. Its instruments are its own (one middleware instance per pipeline).
/// </summary>
internal sealed class MeteringMiddleware(RequestDelegate next, UsageRecordFactory records, IUsageSink sink, IMeterFactory meters, ILogger<MeteringMiddleware> logger, TimeProvider time)
{
    private readonly MeteringMetrics _metrics = new(meters);

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.GetGatewayRequest();
        if (!request.IsMetered)
        {
            await next(context);
            return;
        }

        var metering = new MeteringStream(context.Response, time);
        context.Response.Body = metering;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = metering.Inner;
            var seen = request.Response = metering.Complete();
            _metrics.Record(seen);
            if (seen.Unmetered)
            {
                MeteringLog.Unmetered(logger, seen.ContentEncoding);
            }

            sink.Submit(records.Create(context, request));
        }
    }
}

using Microsoft.Extensions.Options;

using Routescope.Gateway.Errors;
using Routescope.Gateway.Gemini;
using Routescope.Gateway.Observability;
using Routescope.Gateway.Usage.Journal;

namespace Routescope.Gateway.Usage;

/// <summary>
/// Proxy step before metering: while the journal's disk refuses writes, a generation would be answered without a
/// durable record, so under <see cref="UsageDurability.BeforeDelivery"/> it is refused with 503 before any upstream
/// call (nothing billed, nothing counted against a breaker). Token counts, which cost nothing, and best effort pass.
/// </summary>
internal sealed partial class DurabilityGateMiddleware(
    RequestDelegate next, UsageJournal journal, IOptions<UsageOptions> options, UsageMetrics metrics, ILogger<DurabilityGateMiddleware> logger)
{
    private int _refusing;

    public Task InvokeAsync(HttpContext context)
    {
        if (journal.Available || options.Value.Durability == UsageDurability.BestEffort || !context.GetGatewayRequest().Route.Operation.IsGeneration())
        {
            // Read first: a write on every request would bounce this field between cores.
            if (Volatile.Read(ref _refusing) != 0)
            {
                Interlocked.Exchange(ref _refusing, 0);
            }

            return next(context);
        }

        metrics.RequestRefused();
        if (Interlocked.Exchange(ref _refusing, 1) == 0)
        {
            LogRefusing(logger);
        }

        return GeminiError.WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
            "The gateway cannot record usage durably right now (its usage journal's disk refuses writes), so the request was not sent upstream. Retry later.",
            retryAfter: options.Value.JournalProbeInterval);
    }

    [LoggerMessage(EventId = EventIds.UsageRequestsRefused, Level = LogLevel.Warning,
        Message = "Refusing billable requests with 503 until the usage journal's disk takes writes again (Usage:Durability=BeforeDelivery)")]
    private static partial void LogRefusing(ILogger logger);
}

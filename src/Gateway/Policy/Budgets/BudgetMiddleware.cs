using System.Globalization;

using Microsoft.Extensions.Options;

using Routescope.Gateway.Errors;
using Routescope.Gateway.Gemini;
using Routescope.Gateway.Keys;
using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Policy.Budgets;

/// <summary>
/// Proxy step after the durability gate, before metering: a generation request of a key with a monthly budget
/// reserves its maximum cost in the store first, and is refused with 429 when that would take the month past the
/// budget. The request's usage record settles the reservation to the actual cost; one never written lets it expire.
/// When the store cannot answer, nothing is forwarded: an unchecked request could spend past any budget.
/// </summary>
internal sealed partial class BudgetMiddleware(
    RequestDelegate next, BudgetEstimator estimator, IBudgetStore store, BudgetNotifier notifier, PolicyMetrics metrics,
    IOptions<BudgetOptions> options, TimeProvider time, ILogger<BudgetMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.GetGatewayRequest();
        var policy = context.Features.Get<CallerPolicy>()?.Effective;
        if (!request.Route.Operation.IsGeneration() || policy?.MonthlyBudgetUsd is not { } budget)
        {
            await next(context);
            return;
        }

        var now = time.GetUtcNow();
        var caller = request.Caller;
        var claim = new BudgetClaim(RequestIds.New(), caller.KeyId, BudgetMonth.Of(now), estimator.MaxCost(request), budget, now, now + options.Value.ReservationLifetime);
        BudgetDecision decision;
        try
        {
            decision = await store.ReserveAsync(claim, context.RequestAborted);
        }
        catch (Exception exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            LogStoreUnavailable(logger, caller.KeyId, exception);
            await GeminiError.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "The gateway cannot check this API key's budget right now; try again shortly.",
                retryAfter: StoreOutage.RetryAfter);
            return;
        }

        var ratio = policy.SoftBudgetRatio ?? KeyPolicyDefaults.SoftBudgetRatio;
        if (!decision.Granted)
        {
            metrics.Refused(PolicyReasons.Budget, context);
            notifier.Notify(new BudgetNotice(BudgetNoticeKinds.Hard, caller, claim.Month, budget, decision.Spent, decision.Reserved, ratio, now));
            await Refusal.WriteAsync(context, BudgetMonth.End(now) - now, string.Create(CultureInfo.InvariantCulture,
                $"Monthly budget of ${budget:0.00} for this API key reached in {claim.Month}: ${decision.Spent:0.00} spent and ${decision.Reserved:0.00} reserved; this request could cost up to ${claim.Amount:0.00}."));
            return;
        }

        if (decision.Spent >= ratio * budget)
        {
            notifier.Notify(new BudgetNotice(BudgetNoticeKinds.Soft, caller, claim.Month, budget, decision.Spent, decision.Reserved, ratio, now));
        }

        request.ReservationId = claim.ReservationId;
        await next(context);
    }

    [LoggerMessage(EventId = EventIds.BudgetStoreUnavailable, Level = LogLevel.Error, Message = "The budget of key {KeyId} could not be checked in the store; the request was refused with 503")]
    private static partial void LogStoreUnavailable(ILogger logger, string keyId, Exception exception);
}

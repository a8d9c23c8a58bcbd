using Microsoft.Extensions.Options;

using Routescope.Gateway.Billing;
using Routescope.Gateway.Catalog;
using Routescope.Gateway.Gemini;
using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Usage;

/// <summary>
/// The one place a usage record is built: from the request object once its response ended, priced with the served
/// model's prices, the channel's ratio and the key group's ratio.
/// </summary>
internal sealed class UsageRecordFactory(ModelCatalog catalog, IOptions<BillingOptions> billing, TimeProvider time)
{
    public UsageRecord Create(HttpContext context, GatewayRequest request)
    {
        var seen = request.Response ?? throw new InvalidOperationException("The response has not ended: metering sets what it saw first.");
        var route = request.Route;
        // Metered operations name a model, so this is the requested one at worst.
        var served = request.ServedModel ?? route.Model ?? string.Empty;
        var servedOptions = catalog.Find(served);
        var settings = billing.Value;
        var charge = CostCalculator.Charge(servedOptions?.Prices, seen.Usage, seen.Images, settings.ChannelRatio(request.Channel), settings.GroupRatio(request.Caller.Group));
        var usage = seen.Usage;
        var shape = request.Inspected?.Shape;
        // The size and ratio the client asked for; when it named none, the served model's default, which is what the
        // upstream generates then.
        var imageDefaults = route.Operation.IsGeneration() ? servedOptions : null;
        return new UsageRecord
        {
            RecordId = RequestIds.New(),
            RequestId = context.TraceIdentifier,
            StartedAt = seen.Timing.StartedAt,
            EndedAt = time.GetUtcNow(),
            KeyId = request.Caller.KeyId,
            KeyPrefix = request.Caller.KeyPrefix,
            KeyName = request.Caller.KeyName,
            KeyGroup = request.Caller.Group,
            Operation = route.Operation.MethodName(),
            RequestedModel = route.Model ?? string.Empty,
            ServedModel = served,
            FallbackChain = request.FallbackChain ?? string.Empty,
            Channel = request.Channel,
            HttpStatus = context.Response.StatusCode,
            UpstreamStatus = request.UpstreamStatus,
            Outcome = Outcome(context, request, seen),
            PromptTokens = usage?.PromptTokens ?? 0,
            CandidatesTokens = usage?.CandidatesTokens ?? 0,
            ThoughtsTokens = usage?.ThoughtsTokens ?? 0,
            CachedContentTokens = usage?.CachedContentTokens ?? 0,
            ToolUsePromptTokens = usage?.ToolUsePromptTokens ?? 0,
            TotalTokens = usage?.TotalTokens ?? 0,
            OutputTextTokens = usage?.OutputTextTokens ?? 0,
            OutputImageTokens = usage?.OutputImageTokens ?? 0,
            ModalityDetails = usage is null ? string.Empty : Details(usage),
            Images = seen.Images,
            FinishReasons = string.Join(",", seen.FinishReasons),
            ModelVersion = seen.ModelVersion,
            ResponseId = seen.ResponseId,
            ImageSize = shape?.ImageSize?.Value ?? imageDefaults?.DefaultImageSize,
            AspectRatio = shape?.AspectRatio?.Value ?? imageDefaults?.DefaultAspectRatio,
            LatencyMs = time.GetElapsedTime(seen.Timing.StartTimestamp).TotalMilliseconds,
            TimeToFirstByteMs = seen.Timing.SawFirstByte ? time.GetElapsedTime(seen.Timing.StartTimestamp, seen.Timing.FirstByteTimestamp).TotalMilliseconds : null,
            BytesIn = request.Inspected?.Body.Length ?? context.Request.ContentLength ?? 0,
            BytesOut = seen.Bytes,
            InputPerMillion = charge.InputPerMillion,
            OutputTextPerMillion = charge.OutputTextPerMillion,
            OutputImagePerMillion = charge.OutputImagePerMillion,
            PerImagePrice = charge.PerImage,
            ChannelRatio = charge.ChannelRatio,
            GroupRatio = charge.GroupRatio,
            Cost = charge.Cost,
            Currency = settings.Currency,
        };
    }

    /// <summary>How the request ended for finance, read off the last attempt's outcome and what the client got.</summary>
    internal static string Outcome(HttpContext context, GatewayRequest request, ResponseObservation seen) => request.LastAttempt?.Outcome switch
    {
        AttemptOutcome.UpstreamBroke => UsageOutcome.Truncated,
        AttemptOutcome.ClientGone => UsageOutcome.ClientAborted,
        // Pending: the pipeline threw before the attempt was judged; what reached the client is all there is to go by.
        AttemptOutcome.Answered or AttemptOutcome.Pending when context.Response.StatusCode >= 400 => UsageOutcome.UpstreamError,
        AttemptOutcome.Answered or AttemptOutcome.Pending when !seen.Balanced => UsageOutcome.Truncated,
        AttemptOutcome.Answered or AttemptOutcome.Pending => seen.Usage is null ? UsageOutcome.NoUsage : UsageOutcome.Complete,
        // Held back, timed out, unreachable, not sent, or no attempt at all (every model passed over): the client got
        // an error, from the upstream or from the gateway.
        _ => UsageOutcome.UpstreamError,
    };

    private static string Details(TokenCounts usage) =>
        string.Join(";", usage.PromptByModality.Select(d => $"prompt:{d.Key}={d.Value}")
            .Concat(usage.CandidatesByModality.Select(d => $"candidates:{d.Key}={d.Value}")));
}

using Microsoft.Extensions.Options;

using Routescope.Gateway.Billing;
using Routescope.Gateway.Catalog;
using Routescope.Gateway.Gemini;
using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Usage;

/// <summary>
/// The one place usage records are built, from the request object once its response ended: one for the request, and
/// one for each earlier attempt the upstream was sent in full and then abandoned (it may bill those too). Each is
/// priced with its model's prices, the channel's ratio and the key group's ratio.
/// </summary>
internal sealed class UsageRecordFactory(ModelCatalog catalog, IOptions<BillingOptions> billing, TimeProvider time, UsageRecordMetrics metrics)
{
    /// <summary>The request's records (abandoned attempts first, its own last), each counted in the metrics once, here.</summary>
    public IReadOnlyList<UsageRecord> Create(HttpContext context, GatewayRequest request)
    {
        var records = new List<UsageRecord>(request.Attempts.Count);
        var seen = request.Response ?? throw new InvalidOperationException("The response has not ended: metering sets what it saw first.");
        var outcome = Outcome(context, request, seen);
        foreach (var attempt in request.Attempts)
        {
            if (attempt != request.LastAttempt && attempt.RequestDelivered && Unanswered(attempt))
            {
                records.Add(Build(context, request, attempt.Model ?? string.Empty, UsageOutcome.Abandoned, null, Abandoned(seen), unfinished: true, delivered: true, reservationId: null));
            }
        }

        var last = request.LastAttempt;
        // The attempt the record is about: the served one, else the last tried (the chain moved on from it and found no
        // other model to try). Metered operations name a model, so the requested one at worst.
        var served = request.ServedAttempt?.Model ?? last?.Model ?? request.Route.Model ?? string.Empty;
        // Whether the answer was seen to its end is the attempt's to say: one read to its end after the client left
        // (the drain) was seen whole, however the client fared.
        var unfinished = last is not null && (Unanswered(last) || last.Outcome is AttemptOutcome.ClientGone or AttemptOutcome.DeadlineExceeded
            || (last.Outcome == AttemptOutcome.Answered && !seen.Balanced));
        // The status of the attempt the record is about: an earlier attempt's 503 must not make this one an error.
        // Only the request's own record settles its budget reservation: one reservation, one settlement.
        var own = Build(context, request, served, outcome, last?.UpstreamStatus, seen, unfinished, last?.RequestDelivered ?? false, request.ReservationId);
        records.Add(own);
        foreach (var record in records)
        {
            metrics.Record(record);
        }

        // The gateway's own time before forwarding: from the body's last byte to metering's start (the first attempt).
        metrics.Request(own, request.Inspected is { ReceivedTimestamp: > 0 and var received } && seen.Timing.StartTimestamp >= received
            ? time.GetElapsedTime(received, seen.Timing.StartTimestamp)
            : null);
        return records;
    }

    /// <summary>The upstream was sent the request but its answer never came: it timed out, broke, or the connection failed.</summary>
    private static bool Unanswered(UpstreamAttempt attempt) =>
        attempt.Outcome is AttemptOutcome.TimedOut or AttemptOutcome.UpstreamBroke or AttemptOutcome.Unreachable;

    /// <summary>How the request ended for finance, read off the last attempt's outcome and what the client got.</summary>
    internal static string Outcome(HttpContext context, GatewayRequest request, ResponseObservation seen) => request.LastAttempt?.Outcome switch
    {
        // Not the client's doing, whatever the attempt saw of it.
        _ when request.CutByShutdown => UsageOutcome.Shutdown,
        // The gateway's own deadline, before or after the answer started: not the client's departure.
        AttemptOutcome.DeadlineExceeded => UsageOutcome.DeadlineExceeded,
        AttemptOutcome.UpstreamBroke => UsageOutcome.Truncated,
        AttemptOutcome.ClientGone => UsageOutcome.ClientAborted,
        // The client left, and the answer was read to its end for its usage all the same.
        AttemptOutcome.Answered when request.ClientLeft.IsCancellationRequested => UsageOutcome.ClientAborted,
        // Pending: the pipeline threw before the attempt was judged; what reached the client is all there is to go by.
        AttemptOutcome.Answered or AttemptOutcome.Pending when context.Response.StatusCode >= 400 => UsageOutcome.UpstreamError,
        AttemptOutcome.Answered or AttemptOutcome.Pending when !seen.Balanced => UsageOutcome.Truncated,
        AttemptOutcome.Answered or AttemptOutcome.Pending => seen.Usage is null ? UsageOutcome.NoUsage : UsageOutcome.Complete,
        // Held back, timed out, unreachable, not sent, or no attempt at all (every model passed over): the client got an
        // error, from the upstream or from the gateway (a timed-out one still bills its estimate).
        _ => UsageOutcome.UpstreamError,
    };

    /// <summary>An abandoned attempt showed nothing of an answer: only its timing is the request's.</summary>
    private static ResponseObservation Abandoned(ResponseObservation seen) => new() { Timing = seen.Timing };

    private UsageRecord Build(
        HttpContext context, GatewayRequest request, string model, string outcome, int? upstreamStatus, ResponseObservation seen, bool unfinished, bool delivered, string? reservationId)
    {
        var route = request.Route;
        var options = catalog.Find(model);
        var settings = billing.Value;
        var shape = request.Inspected?.Shape;
        var generation = route.Operation.IsGeneration();
        // The size and ratio the client asked for; when it named none, the model's default, which is what the
        // upstream generates then.
        var imageDefaults = generation ? options : null;
        // A size the model does not take was adapted away for it (fallback): it made the image at its default.
        var requestedSize = shape?.ImageSize?.Value;
        var imageSize = requestedSize is not null && (imageDefaults is null || imageDefaults.ImageSizes.Contains(requestedSize, StringComparer.Ordinal))
            ? requestedSize
            : imageDefaults?.DefaultImageSize;
        var bytesIn = request.Inspected?.Body.Length ?? context.Request.ContentLength ?? 0;
        var errorAnswer = upstreamStatus is { } status && (status < 200 || status > 299);
        var assessment = UsageAssessor.Assess(seen, new UsageSituation
        {
            Model = options,
            ImageSize = imageSize,
            ErrorAnswer = errorAnswer,
            Billable = generation && delivered,
            Unfinished = unfinished,
            ExpectedImages = options is { GeneratesImages: true } ? (int)Math.Clamp(shape?.CandidateCount?.Value ?? 1, 1, 8) : 0,
            EstimatedPromptTokens = UsageEstimator.PromptTokens(bytesIn, shape),
        });
        var billed = assessment.Billable;
        var charge = CostCalculator.Charge(options?.Prices, billed, settings.ChannelRatio(request.Channel), settings.GroupRatio(request.Caller.Group));
        var usage = seen.Usage;
        var basis = options is null ? UsageCostBasis.Unpriced : assessment.CostBasis;
        // The counts as the upstream reported them where they were measured, so sums match its own; else as billed.
        var reported = (basis is UsageCostBasis.Measured or UsageCostBasis.Unpriced) && !errorAnswer ? usage : null;
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
            ServedModel = model,
            FallbackChain = request.FallbackChain ?? string.Empty,
            Channel = request.Channel,
            // A request the server cut at shutdown before its answer started got no status: the gateway was unavailable.
            HttpStatus = request.CutByShutdown && !context.Response.HasStarted ? StatusCodes.Status503ServiceUnavailable : context.Response.StatusCode,
            UpstreamStatus = upstreamStatus,
            Outcome = outcome,
            PromptTokens = billed.PromptTokens,
            CandidatesTokens = reported?.CandidatesTokens ?? billed.CandidatesTokens,
            ThoughtsTokens = billed.ThoughtsTokens,
            CachedContentTokens = billed.CachedTokens,
            ToolUsePromptTokens = billed.ToolUsePromptTokens,
            TotalTokens = reported is { ReportsTotal: true } ? reported.TotalTokens : billed.TotalTokens,
            OutputTextTokens = billed.OutputTextTokens,
            OutputImageTokens = billed.OutputImageTokens,
            ModalityDetails = usage is null ? string.Empty : Details(usage),
            Images = billed.Images,
            FinishReasons = string.Join(",", seen.BlockReason is { } blocked ? seen.FinishReasons.Append("PROMPT_BLOCKED:" + blocked) : seen.FinishReasons),
            ModelVersion = seen.ModelVersion,
            ResponseId = seen.ResponseId,
            ImageSize = imageSize,
            AspectRatio = shape?.AspectRatio?.Value ?? imageDefaults?.DefaultAspectRatio,
            LatencyMs = time.GetElapsedTime(seen.Timing.StartTimestamp).TotalMilliseconds,
            TimeToFirstByteMs = seen.Timing.SawFirstByte ? time.GetElapsedTime(seen.Timing.StartTimestamp, seen.Timing.FirstByteTimestamp).TotalMilliseconds : null,
            BytesIn = bytesIn,
            BytesOut = seen.Bytes,
            InputPerMillion = charge.InputPerMillion,
            CachedInputPerMillion = charge.CachedInputPerMillion,
            OutputTextPerMillion = charge.OutputTextPerMillion,
            OutputImagePerMillion = charge.OutputImagePerMillion,
            PerImagePrice = charge.PerImage,
            ChannelRatio = charge.ChannelRatio,
            GroupRatio = charge.GroupRatio,
            UpstreamCost = charge.UpstreamCost,
            ChargebackCost = charge.ChargebackCost,
            CostBasis = basis,
            Flags = string.Join(",", assessment.Flags),
            Currency = settings.Currency,
            ReservationId = reservationId,
        };
    }

    private static string Details(TokenCounts usage) =>
        string.Join(";", usage.PromptByModality.Select(d => $"prompt:{d.Key}={d.Value}")
            .Concat(usage.CandidatesByModality.Select(d => $"candidates:{d.Key}={d.Value}")));
}

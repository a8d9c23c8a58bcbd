using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

using Routescope.Gateway.Catalog;
using Routescope.Gateway.Fallback;
using Routescope.Gateway.Inspection;
using Routescope.Gateway.Keys;
using Routescope.Gateway.Observability;
using Routescope.Gateway.Upstream;
using Routescope.Gateway.Usage;

using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Routescope.Gateway.Metering;

/// <summary>
/// Proxy pipeline step around the attempt loop: observes the client response as it streams and, however the request
/// ends (answer, upstream error, truncation, client gone, exception), hands exactly one usage record to the sink.
/// </summary>
internal sealed class MeteringMiddleware(ModelCatalog catalog, IOptions<BillingOptions> billing, IOptions<UpstreamOptions> upstream, IUsageSink sink, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var route = context.Features.GetRequiredFeature<GeminiRoute>();
        if (route.Model is null || route.Operation == GeminiOperation.GetModel || context.Features.Get<GatewayCaller>() is not { } caller)
        {
            await next();
            return;
        }

        var startedAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        var scanner = new UsageScanner();
        var original = context.Response.Body;
        var metering = new MeteringStream(original, scanner, time);
        context.Response.Body = metering;
        try
        {
            await next();
        }
        finally
        {
            context.Response.Body = original;
            sink.Submit(Record(context, route, caller, scanner.Complete(), startedAt, started, metering.FirstByteTimestamp));
        }
    }

    private UsageRecord Record(HttpContext context, GeminiRoute route, GatewayCaller caller, ResponseObservation seen, DateTimeOffset startedAt, long started, long firstByte)
    {
        var report = context.Features.Get<FallbackReport>();
        var inspected = context.Features.Get<InspectedRequest>();
        var served = report?.ServedModel ?? route.Model!;
        var channel = context.Features.Get<IReverseProxyFeature>()?.Cluster?.Config.ClusterId ?? upstream.Value.ClusterId;
        var settings = billing.Value;
        var charge = CostCalculator.Charge(catalog.Find(served)?.Prices, seen.Usage, seen.Images, settings.ChannelRatio(channel), settings.GroupRatio(caller.Group));
        var usage = seen.Usage;
        return new UsageRecord
        {
            RecordId = RequestIds.New(),
            RequestId = context.TraceIdentifier,
            StartedAt = startedAt,
            EndedAt = time.GetUtcNow(),
            KeyId = caller.KeyId,
            KeyPrefix = caller.KeyPrefix,
            KeyName = caller.KeyName,
            KeyGroup = caller.Group,
            Operation = GeminiPath.MethodName(route.Operation),
            RequestedModel = route.Model!,
            ServedModel = served,
            FallbackChain = report?.FallbackHeaderValue ?? string.Empty,
            Channel = channel,
            HttpStatus = context.Response.StatusCode,
            UpstreamStatus = context.Features.Get<UpstreamStatus>()?.StatusCode,
            Outcome = Outcome(context, seen),
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
            ImageSize = inspected?.Shape.ImageSize?.Value,
            AspectRatio = inspected?.Shape.AspectRatio?.Value,
            LatencyMs = time.GetElapsedTime(started).TotalMilliseconds,
            TimeToFirstByteMs = firstByte == 0 ? null : time.GetElapsedTime(started, firstByte).TotalMilliseconds,
            BytesIn = inspected?.Body.Length ?? context.Request.ContentLength ?? 0,
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

    private static string Outcome(HttpContext context, ResponseObservation seen)
    {
        var error = context.Features.Get<IForwarderErrorFeature>()?.Error ?? ForwarderError.None;
        // First: when the upstream breaks off mid-body YARP aborts the client connection itself, so a set RequestAborted
        // alone does not mean the client left.
        if (error == ForwarderError.ResponseBodyDestination)
        {
            return UsageOutcome.Truncated;
        }

        if (context.RequestAborted.IsCancellationRequested || error is ForwarderError.ResponseBodyClient or ForwarderError.RequestCanceled or ForwarderError.ResponseBodyCanceled)
        {
            return UsageOutcome.ClientAborted;
        }

        if (context.Response.StatusCode >= 400)
        {
            return UsageOutcome.UpstreamError;
        }

        if (error != ForwarderError.None || !seen.Balanced)
        {
            return UsageOutcome.Truncated;
        }

        return seen.Usage is null ? UsageOutcome.NoUsage : UsageOutcome.Complete;
    }

    private static string Details(TokenCounts usage) =>
        string.Join(";", usage.PromptByModality.Select(d => $"prompt:{d.Key}={d.Value}")
            .Concat(usage.CandidatesByModality.Select(d => $"candidates:{d.Key}={d.Value}")));
}

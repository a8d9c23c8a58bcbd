using FluentValidation;

using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

using Routescope.Gateway.Catalog;
using Routescope.Gateway.Errors;
using Routescope.Gateway.Inspection;

using Yarp.ReverseProxy.Forwarder;

namespace Routescope.Gateway.Fallback;

/// <summary>
/// The attempt loop around YARP's forwarder. Each model of the requested model's chain gets at most one attempt, with
/// the body adapted to it; a retryable failure moves on only while nothing has reached the client: the response gate
/// holds back a retryable answer's body (YARP then leaves the response unstarted), a connection failure or timeout
/// leaves it unstarted too, and <c>Response.Clear()</c> makes it fresh for the next attempt. Once a byte went
/// out there is no second attempt.
/// </summary>
internal sealed partial class FallbackMiddleware(
    ModelCatalog catalog,
    CircuitBreakers breakers,
    IValidator<InspectionSubject> validator,
    IOptions<FallbackOptions> options,
    FallbackMetrics metrics,
    ILogger<FallbackMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var route = context.Features.GetRequiredFeature<GeminiRoute>();
        var inspected = context.Features.Get<InspectedRequest>();
        if (route.Model is null || inspected is null || route.Operation is not (GeminiOperation.GenerateContent or GeminiOperation.StreamGenerateContent))
        {
            if (route.Model is { } model)
            {
                context.Response.OnStarting(() =>
                {
                    context.Response.Headers[FallbackReport.ModelHeader] = model;
                    return Task.CompletedTask;
                });
            }

            await next();
            return;
        }

        var report = new FallbackReport(route.Model);
        context.Features.Set(report);
        context.Response.OnStarting(() => report.WriteHeaders(context.Response));
        var (candidateModels, candidates) = Plan(route, inspected, OptedOut(context));

        for (var i = 0; i < candidates.Count; i++)
        {
            if (candidates[i].Value is not { } candidate)
            {
                report.PassOver(candidateModels[i], "incompatible");
                metrics.Attempt(candidateModels[i], "skipped");
                continue;
            }

            var breaker = breakers.For(candidate.Model);
            var admission = breaker.TryAdmit();
            if (admission == BreakerAdmission.Denied)
            {
                report.PassOver(candidate.Model, "circuit-open");
                metrics.Attempt(candidate.Model, "skipped");
                continue;
            }

            var current = i;
            var attempt = new UpstreamAttempt(candidate.Model, () => HasViableNext(candidates, current));
            context.Features.Set(attempt);
            report.Begin(attempt, candidate.Changes);
            context.Features.Set<IForwarderErrorFeature>(null);
            context.Request.Body = new SequenceStream(candidate.Body);
            context.Request.ContentLength = candidate.Body.Length;

            try
            {
                await next();
            }
            catch
            {
                // Whatever happened, a probe slot must not stay taken, or the model would never be tried again.
                breaker.Abandon(admission);
                throw;
            }

            // YARP aborts the client connection itself when the upstream breaks off mid-body: that is the model's fault.
            var upstreamBroke = context.Features.Get<IForwarderErrorFeature>()?.Error == ForwarderError.ResponseBodyDestination;
            if (context.RequestAborted.IsCancellationRequested && !upstreamBroke)
            {
                // The client left: the chain stops, and the model is not blamed.
                breaker.Abandon(admission);
                return;
            }

            var (failure, mayMoveOn) = Classify(context, attempt);
            if (failure is null)
            {
                breaker.RecordSuccess(admission);
                metrics.Attempt(candidate.Model, "served");
                return;
            }

            breaker.RecordFailure(admission);
            metrics.Attempt(candidate.Model, "retryable");
            if (!mayMoveOn || context.Response.HasStarted || !attempt.HasNext)
            {
                report.Fail(failure);
                return;
            }

            report.PassOver(candidate.Model, failure);
            LogMovingOn(logger, candidate.Model, failure);
            context.Response.Clear();
        }

        report.NoneServed();
        await GeminiError.WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
            $"No model of the chain for {route.Model} is available right now ({report.FallbackHeaderValue}); retry later.");
    }

    /// <summary>Requests can opt out with <c>x-gateway-fallback: off</c>: then only the requested model is tried.</summary>
    private static bool OptedOut(HttpContext context) =>
        string.Equals(context.Request.Headers[FallbackReport.FallbackHeader], "off", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The chain's models in order, each with its body adapted on first use (null where the model cannot take the
    /// request): adapting and re-validating for models that are never called would be wasted work on every request.
    /// </summary>
    private (List<string> Models, List<Lazy<BodyAdaptation?>> Bodies) Plan(GeminiRoute route, InspectedRequest inspected, bool optedOut)
    {
        var models = new List<string> { route.Model! };
        var bodies = new List<Lazy<BodyAdaptation?>> { new(new BodyAdaptation { Model = route.Model!, Body = inspected.Body.Sequence, Shape = inspected.Shape }) };
        if (optedOut || inspected.Capabilities is not { } requested)
        {
            return (models, bodies);
        }

        foreach (var model in requested.Fallback)
        {
            models.Add(model);
            bodies.Add(new Lazy<BodyAdaptation?>(() => Fit(route, inspected, model), LazyThreadSafetyMode.None));
        }

        return (models, bodies);
    }

    /// <summary>The request adapted to <paramref name="model"/>, provided the result passes that model's rules.</summary>
    private BodyAdaptation? Fit(GeminiRoute route, InspectedRequest inspected, string model)
    {
        if (catalog.Find(model) is not { } target || BodyAdapter.Adapt(inspected, model, target, options.Value.OnIncompatible) is not { } adapted)
        {
            return null;
        }

        var subject = new InspectionSubject { Model = model, Operation = route.Operation, Shape = adapted.Shape, Capabilities = target };
        return validator.Validate(subject).IsValid ? adapted : null;
    }

    private bool HasViableNext(List<Lazy<BodyAdaptation?>> candidates, int current)
    {
        for (var i = current + 1; i < candidates.Count; i++)
        {
            if (candidates[i].Value is { } next && breakers.For(next.Model).WouldAdmit)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Why the attempt failed (null when it did not), and whether that kind of failure may move on.</summary>
    private (string? Failure, bool MayMoveOn) Classify(HttpContext context, UpstreamAttempt attempt)
    {
        if (attempt.HeldBackStatus is { } held)
        {
            return (held.ToString(System.Globalization.CultureInfo.InvariantCulture), true);
        }

        var error = context.Features.Get<IForwarderErrorFeature>()?.Error ?? ForwarderError.None;
        switch (error)
        {
            case ForwarderError.None:
                var status = context.Response.StatusCode;
                return options.Value.RetryableStatuses.Contains(status) ? (status.ToString(System.Globalization.CultureInfo.InvariantCulture), false) : (null, false);
            case ForwarderError.RequestTimedOut:
                return ("timeout", true);
            case ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.RequestBodyClient
                or ForwarderError.ResponseBodyCanceled or ForwarderError.ResponseBodyClient or ForwarderError.UpgradeRequestCanceled:
                // The client's side broke: nothing to blame on the model, nothing to retry.
                return (null, false);
            default:
                return ("unreachable", true);
        }
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Model {Model} failed ({Failure}) before answering; trying the next model of the chain")]
    private static partial void LogMovingOn(ILogger logger, string model, string failure);
}

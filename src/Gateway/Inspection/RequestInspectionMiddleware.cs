using FluentValidation;

using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

using Routescope.Gateway.Billing;
using Routescope.Gateway.Catalog;
using Routescope.Gateway.Errors;
using Routescope.Gateway.Gemini;
using Routescope.Gateway.Inspection.Buffering;
using Routescope.Gateway.Inspection.Reading;
using Routescope.Gateway.Inspection.Validation;
using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Inspection;

/// <summary>
/// Proxy pipeline step: buffers the body once (bounded), reads its shape and validates it against the model's
/// capabilities. A request that fails gets a Gemini 400/404/413 here and never reaches the upstream; one that passes
/// is forwarded byte for byte from the buffer.
/// </summary>
internal sealed partial class RequestInspectionMiddleware(
    RequestDelegate next,
    ModelCatalog catalog,
    IValidator<InspectionSubject> validator,
    IOptions<RequestLimitsOptions> limits,
    IOptions<BillingOptions> billing,
    TempSpace tempSpace,
    TimeProvider time,
    ILogger<RequestInspectionMiddleware> logger)
{
    // Enough kept images for the model that accepts the most, so that every model judges all of a request within its count.
    private readonly int _keptImages = catalog.Models.Select(catalog.Find).Max(model => model?.MaxInlineImages) ?? 0;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.GetGatewayRequest();
        var route = request.Route;
        var capabilities = route.Model is null ? null : catalog.Find(route.Model);
        // A model without a price would be served for free: refused before any upstream call, unless the operator
        // chose to record such models unpriced. The catalog is case-sensitive, as model ids are.
        if (route.Model is not null && capabilities is null && billing.Value.UnpricedModels == UnpricedModels.Refuse)
        {
            await GeminiError.WriteAsync(context, StatusCodes.Status404NotFound,
                $"Model {route.Model} is not offered here (offered: {string.Join(", ", catalog.Models)}).");
            return;
        }

        if (route.Operation is GeminiOperation.ListModels or GeminiOperation.GetModel)
        {
            await next(context);
            return;
        }

        if (context.Request.Headers.ContentEncoding is { Count: > 0 } encoding && !string.Equals(encoding.ToString(), "identity", StringComparison.OrdinalIgnoreCase))
        {
            await GeminiError.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, "Compressed request bodies are not supported; send the JSON as is.");
            return;
        }

        var maxBytes = Math.Min(limits.Value.MaxRequestBytes, capabilities?.MaxRequestBytes ?? long.MaxValue);
        if (context.Request.ContentLength > maxBytes)
        {
            await TooLargeAsync(context, maxBytes);
            return;
        }

        // The limit is enforced here, exactly; Kestrel's own (lower by default) would cut large edits short.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } kestrelLimit)
        {
            kestrelLimit.MaxRequestBodySize = null;
        }

        RequestBody? body;
        try
        {
            body = await RequestBody.ReadAsync(context.Request.Body, maxBytes, limits.Value.MemoryBufferBytes, tempSpace, context.Request.ContentLength, context.RequestAborted);
        }
        catch (BadHttpRequestException exception)
        {
            await GeminiError.WriteAsync(context, exception.StatusCode, "The request body could not be read.");
            return;
        }
        catch (TempSpaceRefusedException refused)
        {
            await RefuseAsync(context, refused);
            return;
        }

        if (body is null)
        {
            await TooLargeAsync(context, maxBytes);
            return;
        }

        var received = time.GetTimestamp();
        context.Response.RegisterForDisposeAsync(body);
        var shape = GenerateRequestReader.Read(body.Sequence, limits.Value.MaxJsonDepth, _keptImages);
        // The validator reports into these, bounded, rather than into an unbounded list of the result's errors.
        var violations = new BoundedViolations();
        var validation = new ValidationContext<InspectionSubject>(new InspectionSubject { Model = route.Model!, Operation = route.Operation, Shape = shape, Capabilities = capabilities });
        validation.RootContextData[GenerateRequestValidator.ViolationsKey] = violations;
        if (!validator.Validate(validation).IsValid)
        {
            await GeminiError.WriteViolationsAsync(context, violations.Reported, violations.Omitted);
            return;
        }

        request.Inspected = new InspectedRequest { Body = body.Sequence, Shape = shape, ReceivedTimestamp = received };
        // Forward the buffered bytes, with a length: the upstream gets exactly what the client sent, never chunked twice.
        context.Request.Body = body.OpenRead();
        context.Request.Headers.Remove("Transfer-Encoding");
        context.Request.ContentLength = body.Length;
        await next(context);
    }

    /// <summary>
    /// The body could not be spilled: 413 when it alone is larger than the temp space, else a retryable 503. Either
    /// way its rest was not read, so the connection closes after the answer.
    /// </summary>
    private Task RefuseAsync(HttpContext context, TempSpaceRefusedException refused)
    {
        var reason = refused.Message;
        var inUse = tempSpace.InUse;
        if (refused.DiskFailed)
        {
            LogTempFailed(logger, context.TraceIdentifier, reason, inUse, refused.InnerException!);
        }
        else
        {
            LogTempRefused(logger, context.TraceIdentifier, reason, inUse);
        }

        return refused.NeverFits
            ? GeminiError.WriteAsync(context, StatusCodes.Status413PayloadTooLarge,
                $"The request body is larger than the {tempSpace.MaxBytes} bytes of temp space this gateway has; send fewer or smaller images.", closeConnection: true)
            : GeminiError.WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
                "The gateway has no room to buffer this request body right now; try again shortly.", retryAfter: TempSpace.RetryAfter, closeConnection: true);
    }

    [LoggerMessage(EventId = EventIds.TempSpaceRefused, Level = LogLevel.Warning,
        Message = "Request {RequestId} refused: {Reason} ({InUse} bytes of temp space in use)")]
    private static partial void LogTempRefused(ILogger logger, string requestId, string reason, long inUse);

    [LoggerMessage(EventId = EventIds.TempSpaceFailed, Level = LogLevel.Error,
        Message = "Request {RequestId} refused with 503: {Reason} ({InUse} bytes of temp space in use)")]
    private static partial void LogTempFailed(ILogger logger, string requestId, string reason, long inUse, Exception exception);

    private static Task TooLargeAsync(HttpContext context, long maxBytes) =>
        GeminiError.WriteAsync(context, StatusCodes.Status413PayloadTooLarge,
            $"The request body is larger than the {maxBytes} bytes this gateway accepts for this model; send fewer or smaller images.");
}

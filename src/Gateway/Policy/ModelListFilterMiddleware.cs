using Microsoft.Net.Http.Headers;

using Routescope.Gateway.Errors;
using Routescope.Gateway.Gemini;
using Routescope.Gateway.Keys;
using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Policy;

/// <summary>
/// Proxy step after the key policy: for a key with an allow-list, the model list (<c>GET /v1beta/models</c>,
/// <c>/v1/models</c>) shows only the models the key may use. The list is small JSON, so the upstream's answer is held
/// whole (bounded) and, when it is a 200 JSON list, rewritten without the other models; any other answer goes out as
/// the upstream sent it. This is the one body the gateway rewrites: listing models a key is refused would invite
/// calls that can only fail.
/// </summary>
internal sealed partial class ModelListFilterMiddleware(RequestDelegate next, ILogger<ModelListFilterMiddleware> logger)
{
    /// <summary>The upstream's full list is tens of KiB; anything near this is not a model list.</summary>
    public const int MaxListBytes = 4 * 1024 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var allowed = context.Features.Get<CallerPolicy>()?.Effective.AllowedModels;
        if (allowed is null || context.GetGatewayRequest().Route.Operation != GeminiOperation.ListModels)
        {
            await next(context);
            return;
        }

        // An uncompressed answer can be read as it is; an upstream that compresses anyway is decoded below.
        context.Request.Headers.AcceptEncoding = "identity";
        var response = context.Response;
        var client = response.Body;
        using var held = new ModelListBuffer(MaxListBytes);
        response.Body = held;
        try
        {
            await next(context);
        }
        finally
        {
            response.Body = client;
        }

        if (held.Overflowed)
        {
            LogUnreadable(logger, "longer than " + MaxListBytes + " bytes");
            await GeminiError.WriteAsync(context, StatusCodes.Status502BadGateway, Unfilterable);
            return;
        }

        if (response.StatusCode != StatusCodes.Status200OK || !IsJson(response.ContentType))
        {
            await client.WriteAsync(held.Written, context.RequestAborted);
            return;
        }

        var encoding = response.Headers.ContentEncoding.ToString();
        var decoded = ModelListFilter.Decode(held.Written, encoding, MaxListBytes);
        var filtered = decoded is null ? null : ModelListFilter.Filter(decoded, allowed);
        if (filtered is null)
        {
            LogUnreadable(logger, decoded is null ? "content coding '" + encoding + "' could not be undone" : "not a JSON model list");
            await GeminiError.WriteAsync(context, StatusCodes.Status502BadGateway, Unfilterable);
            return;
        }

        response.Headers.Remove(HeaderNames.ContentEncoding);
        response.ContentLength = filtered.Length;
        await client.WriteAsync(filtered, context.RequestAborted);
    }

    private const string Unfilterable = "The upstream's model list could not be read, so it cannot be cut to the models this API key may use.";

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media) && media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);

    [LoggerMessage(EventId = EventIds.ModelListUnreadable, Level = LogLevel.Warning,
        Message = "The upstream's model list could not be filtered to a key's allow-list ({Problem}); answered 502")]
    private static partial void LogUnreadable(ILogger logger, string problem);
}

using System.Text.Json;

using FluentValidation;

using Microsoft.AspNetCore.Http.Features;

using Routescope.Gateway.Errors;
using Routescope.Gateway.Keys;
using Routescope.Gateway.Observability;
using Routescope.Gateway.Usage;

namespace Routescope.Gateway.Admin;

/// <summary>Key management over HTTP: <c>/admin/keys</c>. Mapped only when an admin token is configured.</summary>
internal static partial class AdminEndpoints
{
    /// <summary>Admin bodies are tiny; anything bigger is a mistake or an attack.</summary>
    private const long MaxBodyBytes = 64 * 1024;

    public static WebApplication MapAdminApi(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AdminOptions>>().Value;
        if (!options.Enabled)
        {
            LogDisabled(app.Logger);
            return app;
        }

        var admin = app.MapGroup("/admin").RequireAuthorization(AdminDefaults.Policy);
        admin.MapPost("/keys", CreateKeyAsync);
        admin.MapGet("/keys", ListKeysAsync);
        admin.MapDelete("/keys/{id}", RevokeKeyAsync);
        admin.MapUsageApi();
        return app;
    }

    private static async Task<IResult> CreateKeyAsync(
        HttpContext http, GatewayKeyService keys, IValidator<CreateKeyRequest> validator, TimeProvider time, CancellationToken cancellationToken)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        CreateKeyRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(http.Request.Body, AdminJsonContext.Default.CreateKeyRequest, cancellationToken);
        }
        catch (JsonException exception)
        {
            return GeminiError.Result(StatusCodes.Status400BadRequest,
                $"Request body must be a JSON object with \"name\" and optional \"group\" and \"expiresAt\" (problem at {exception.Path ?? "$"}).");
        }

        if (request is null)
        {
            return GeminiError.Result(StatusCodes.Status400BadRequest, "Request body must be a JSON object with \"name\".");
        }

        var validation = await validator.ValidateAsync(request, cancellationToken);
        if (!validation.IsValid)
        {
            return GeminiError.Result(StatusCodes.Status400BadRequest, string.Join("; ", validation.Errors.Select(error => error.ErrorMessage)));
        }

        var (key, secret) = await keys.CreateAsync(request.Name!, request.Group, request.ExpiresAt, cancellationToken);
        return TypedResults.Created($"/admin/keys/{key.Id}", KeyView.From(key, time.GetUtcNow(), secret));
    }

    private static async Task<IResult> ListKeysAsync(GatewayKeyService keys, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var list = await keys.ListAsync(cancellationToken);
        return TypedResults.Ok(new KeyList(list.Select(key => KeyView.From(key, now)).ToArray()));
    }

    private static async Task<IResult> RevokeKeyAsync(string id, GatewayKeyService keys, CancellationToken cancellationToken) =>
        await keys.RevokeAsync(id, cancellationToken)
            ? TypedResults.NoContent()
            : GeminiError.Result(StatusCodes.Status404NotFound, "No key with that id.");

    [LoggerMessage(EventId = EventIds.AdminDisabled, Level = LogLevel.Information, Message = "Admin API disabled: GATEWAY_ADMIN_TOKEN is not set")]
    private static partial void LogDisabled(ILogger logger);
}

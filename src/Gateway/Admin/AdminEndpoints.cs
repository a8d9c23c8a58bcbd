using FluentValidation;

using Routescope.Gateway.Errors;
using Routescope.Gateway.Exports;
using Routescope.Gateway.Keys;
using Routescope.Gateway.Observability;
using Routescope.Gateway.Policy.Budgets;

namespace Routescope.Gateway.Admin;

/// <summary>Key management over HTTP: <c>/admin/keys</c>, <c>/admin/groups</c>, <c>/admin/audit</c>. Mapped only when an admin token is configured.</summary>
internal static partial class AdminEndpoints
{
    public const string Prefix = "/admin";

    public static WebApplication MapAdminApi(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AdminOptions>>().Value;
        if (!options.Enabled)
        {
            LogDisabled(app.Logger);
            return app;
        }

        var admin = app.MapGroup(Prefix).RequireAuthorization(AdminDefaults.Policy);
        admin.MapPost("/keys", CreateKeyAsync);
        admin.MapGet("/keys", ListKeysAsync);
        admin.MapGet("/keys/{id}", GetKeyAsync);
        admin.MapPatch("/keys/{id}", PatchKeyAsync);
        admin.MapDelete("/keys/{id}", RevokeKeyAsync);
        admin.MapGroupApi();
        admin.MapAuditApi();
        admin.MapUsageApi();
        admin.MapUsagePeriodApi();
        return app;
    }

    private static async Task<IResult> CreateKeyAsync(
        HttpContext http, GatewayKeyService keys, IValidator<CreateKeyRequest> validator, TimeProvider time, CancellationToken cancellationToken)
    {
        var (request, error) = await AdminBody.ReadCreateKeyAsync(http, validator, cancellationToken);
        if (request is null)
        {
            return error!;
        }

        var (key, secret) = await keys.CreateAsync(request.Name!, request.Group, request.ToPolicy(), AuditEndpoints.Actor(http), cancellationToken);
        var view = KeyView.From(key, time.GetUtcNow(), secret);
        http.Response.Headers.Location = $"/admin/keys/{key.Id}";
        return TypedResults.Json(key.OwnPolicy == KeyPolicy.None ? view : view with { Policy = key.OwnPolicy },
            AdminJsonContext.Default.KeyView, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListKeysAsync(GatewayKeyService keys, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var list = await keys.ListAsync(cancellationToken);
        return TypedResults.Ok(new KeyList(list.Select(key => KeyView.From(key, now)).ToArray()));
    }

    private static async Task<IResult> GetKeyAsync(string id, GatewayKeyService keys, IBudgetStore budgets, TimeProvider time, CancellationToken cancellationToken)
    {
        var key = await keys.FindAsync(id, cancellationToken);
        return key is null ? NoSuchKey() : await DetailsAsync(key, keys, budgets, time, cancellationToken);
    }

    /// <summary>
    /// Changes the fields the body names (null: back to the group's value) and leaves the rest; answers as
    /// <c>GET /admin/keys/{id}</c> does. A bad body changes nothing.
    /// </summary>
    private static async Task<IResult> PatchKeyAsync(
        string id, HttpContext http, GatewayKeyService keys, IBudgetStore budgets, IValidator<KeyPolicy> validator, TimeProvider time, CancellationToken cancellationToken)
    {
        var (patch, error) = await AdminBody.ReadPolicyPatchAsync(http, validator, cancellationToken);
        if (patch is null)
        {
            return error!;
        }

        var key = await keys.UpdatePolicyAsync(id, patch, AuditEndpoints.Actor(http), cancellationToken);
        return key is null ? NoSuchKey() : await DetailsAsync(key, keys, budgets, time, cancellationToken);
    }

    private static async Task<IResult> RevokeKeyAsync(string id, HttpContext http, GatewayKeyService keys, CancellationToken cancellationToken) =>
        await keys.RevokeAsync(id, AuditEndpoints.Actor(http), cancellationToken)
            ? TypedResults.NoContent()
            : NoSuchKey();

    private static async Task<IResult> DetailsAsync(GatewayKey key, GatewayKeyService keys, IBudgetStore budgets, TimeProvider time, CancellationToken cancellationToken)
    {
        var group = await keys.FindGroupAsync(key.Group, cancellationToken);
        var now = time.GetUtcNow();
        var month = BudgetMonth.Of(now);
        var spend = await budgets.SpendAsync(key.Id, month, now, cancellationToken);
        return TypedResults.Json(KeyView.Details(key, group, now, month, spend), AdminJsonContext.Default.KeyView);
    }

    private static IResult NoSuchKey() => GeminiError.Result(StatusCodes.Status404NotFound, "No key with that id.");

    [LoggerMessage(EventId = EventIds.AdminDisabled, Level = LogLevel.Information, Message = "Admin API disabled: GATEWAY_ADMIN_TOKEN is not set")]
    private static partial void LogDisabled(ILogger logger);
}

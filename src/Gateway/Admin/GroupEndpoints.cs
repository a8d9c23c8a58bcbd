using FluentValidation;

using Routescope.Gateway.Errors;
using Routescope.Gateway.Keys;
using Routescope.Gateway.Policy.Budgets;

namespace Routescope.Gateway.Admin;

/// <summary>
/// <c>/admin/groups</c>: the policy defaults a group's keys inherit. A group exists once a key names it or it is put;
/// there is no delete (a group's keys would silently lose their limits).
/// </summary>
internal static class GroupEndpoints
{
    public static RouteGroupBuilder MapGroupApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/groups", ListGroupsAsync);
        admin.MapGet("/groups/{name}", GetGroupAsync);
        admin.MapPut("/groups/{name}", PutGroupAsync);
        return admin;
    }

    /// <summary>Every group with its month spend: two store reads whatever the number of groups.</summary>
    private static async Task<IResult> ListGroupsAsync(GatewayKeyService keys, IBudgetStore budgets, TimeProvider time, CancellationToken cancellationToken)
    {
        var groups = await keys.ListGroupsAsync(cancellationToken);
        var now = time.GetUtcNow();
        var month = BudgetMonth.Of(now);
        var spends = await budgets.GroupSpendsAsync(month, now, cancellationToken);
        var views = groups.Select(group => GroupView.From(group) with { Spend = SpendOf(month, spends.GetValueOrDefault(group.Name)) }).ToArray();
        return TypedResults.Json(new GroupList(views), AdminJsonContext.Default.GroupList);
    }

    private static async Task<IResult> GetGroupAsync(string name, GatewayKeyService keys, IBudgetStore budgets, TimeProvider time, CancellationToken cancellationToken)
    {
        var group = KeyGroupName.IsValid(name) ? await keys.FindGroupAsync(name, cancellationToken) : null;
        if (group is null)
        {
            return GeminiError.Result(StatusCodes.Status404NotFound, "No group with that name: no key names it and it was never put.");
        }

        var now = time.GetUtcNow();
        var month = BudgetMonth.Of(now);
        var spend = await budgets.GroupSpendAsync(group.Name, month, now, cancellationToken);
        return TypedResults.Json(GroupView.From(group) with { Spend = SpendOf(month, spend) }, AdminJsonContext.Default.GroupView);
    }

    /// <summary>A group's month as the admin API shows it; budgetUsd is null, since a group's budget is each key's default, not a cap.</summary>
    private static SpendView SpendOf(string month, BudgetSpend? spend) =>
        new() { Month = month, SpentUsd = spend?.Spent ?? 0m, ReservedUsd = spend?.Reserved ?? 0m, BudgetUsd = null };

    /// <summary>
    /// Replaces the group's policy with the body (a field absent or null is unset); 201 when the group did not exist
    /// (no key named it, never put), 200 otherwise. A bad body or name changes nothing.
    /// </summary>
    private static async Task<IResult> PutGroupAsync(
        string name, HttpContext http, GatewayKeyService keys, IValidator<KeyPolicy> validator, CancellationToken cancellationToken)
    {
        if (!KeyGroupName.IsValid(name))
        {
            return GeminiError.Result(StatusCodes.Status400BadRequest, "name: " + KeyGroupName.Rule);
        }

        var (patch, error) = await AdminBody.ReadPolicyPatchAsync(http, validator, cancellationToken);
        if (patch is null)
        {
            return error!;
        }

        var (group, created) = await keys.PutGroupAsync(name, patch.Values, AuditEndpoints.Actor(http), cancellationToken);
        if (created)
        {
            http.Response.Headers.Location = $"/admin/groups/{name}";
        }

        return TypedResults.Json(GroupView.From(group), AdminJsonContext.Default.GroupView,
            statusCode: created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }
}

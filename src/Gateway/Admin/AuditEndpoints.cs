using System.Globalization;

using Routescope.Gateway.Audit;
using Routescope.Gateway.Errors;

namespace Routescope.Gateway.Admin;

/// <summary><c>GET /admin/audit</c>: the audit log, newest first, a page at a time.</summary>
internal static class AuditEndpoints
{
    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/audit", ReadAsync);
        return admin;
    }

    /// <summary>The caller of an admin request, for the audit log: the token's identity and the client's address.</summary>
    public static AuditActor Actor(HttpContext http) =>
        new(http.User.Identity?.Name ?? "admin", http.Connection.RemoteIpAddress?.ToString());

    private static async Task<IResult> ReadAsync(HttpContext http, IAuditStore audit, CancellationToken cancellationToken)
    {
        var (query, problem) = Parse(http.Request.Query);
        if (query is null)
        {
            return GeminiError.Result(StatusCodes.Status400BadRequest, problem!);
        }

        // One more than asked says whether another page follows.
        var entries = await audit.ReadAsync(query with { Limit = query.Limit + 1 }, cancellationToken);
        var page = entries.Take(query.Limit).ToArray();
        var next = entries.Count > query.Limit ? NextPage(http.Request.Query, page[^1].Id) : null;
        return TypedResults.Json(new AuditList(page, next), AdminJsonContext.Default.AuditList);
    }

    private static (AuditQuery? Query, string? Problem) Parse(IQueryCollection query)
    {
        string? One(string name) => query.TryGetValue(name, out var values) ? values.ToString() : null;

        var keyId = One("keyId");
        if (keyId is { Length: 0 or > 64 })
        {
            return (null, "keyId: a key id, as GET /admin/keys shows it");
        }

        if (!TryTime(One("from"), out var from))
        {
            return (null, "from: a date (2026-11-01) or " + IsoTime.Rule);
        }

        if (!TryTime(One("to"), out var to))
        {
            return (null, "to: a date (2026-12-01) or " + IsoTime.Rule);
        }

        var limit = AuditQuery.DefaultLimit;
        if (One("limit") is { } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > AuditQuery.MaxLimit))
        {
            return (null, $"limit: a whole number from 1 to {AuditQuery.MaxLimit}");
        }

        long? before = null;
        if (One("before") is { } beforeText)
        {
            if (!long.TryParse(beforeText, NumberStyles.None, CultureInfo.InvariantCulture, out var cursor) || cursor < 1)
            {
                return (null, "before: the id of an entry (the next link of a page gives it)");
            }

            before = cursor;
        }

        return (new AuditQuery { KeyId = keyId, From = from, To = to, Limit = limit, Before = before }, null);
    }

    /// <summary>A date (midnight UTC) or an ISO-8601 time with an offset; absent is no bound.</summary>
    private static bool TryTime(string? text, out DateTimeOffset? value)
    {
        value = null;
        if (text is null)
        {
            return true;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            value = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return true;
        }

        if (IsoTime.TryParse(text, out var time))
        {
            value = time;
            return true;
        }

        return false;
    }

    /// <summary>The same query, continued after <paramref name="lastId"/>.</summary>
    private static string NextPage(IQueryCollection query, long lastId)
    {
        var parameters = query.Where(pair => !string.Equals(pair.Key, "before", StringComparison.OrdinalIgnoreCase))
            .Select(pair => Uri.EscapeDataString(pair.Key) + "=" + Uri.EscapeDataString(pair.Value.ToString()))
            .Append("before=" + lastId.ToString(CultureInfo.InvariantCulture));
        return AdminEndpoints.Prefix + "/audit?" + string.Join('&', parameters);
    }
}

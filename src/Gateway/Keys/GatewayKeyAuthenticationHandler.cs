using System.Security.Claims;
using System.Text.Encodings.Web;

using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

using Routescope.Gateway.Errors;

namespace Routescope.Gateway.Keys;

/// <summary>
/// Authenticates callers by gateway key, sent as <c>Authorization: Bearer</c> (Routescope's form) or
/// <c>x-goog-api-key</c> (what the Gemini SDKs send). Challenges answer in the Gemini error shape.
/// </summary>
internal sealed class GatewayKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    GatewayKeyService keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string MissingMessage = "Missing API key: send it as 'Authorization: Bearer <key>' or 'x-goog-api-key: <key>'.";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var (presented, problem) = ReadCredential(Request.Headers);
        if (problem is not null)
        {
            return AuthenticateResult.Fail(problem);
        }

        if (presented is null)
        {
            return AuthenticateResult.NoResult();
        }

        var (check, key, policy) = await keys.CheckAsync(presented, Context.RequestAborted);
        switch (check)
        {
            case KeyCheck.Expired:
                return AuthenticateResult.Fail("API key expired. Ask for a new key.");
            case KeyCheck.Unknown or KeyCheck.Revoked:
                return AuthenticateResult.Fail("API key not valid. Please pass a valid API key.");
        }

        // Read before the proxy pipeline by the rate limiter, and by the policy step in it.
        Context.Features.Set(new CallerPolicy(key!.Id, policy!));

        // The ticket is the one record of the caller: GatewayCaller.FromPrincipal reads these claims back.
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, key.Id),
            new Claim(ClaimTypes.Name, key.Name),
            new Claim(GatewayKeyDefaults.GroupClaim, key.Group),
            new Claim(GatewayKeyDefaults.PrefixClaim, key.Prefix),
        ], Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        await GeminiError.WriteAsync(Context, StatusCodes.Status401Unauthorized, result.Failure?.Message ?? MissingMessage);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        GeminiError.WriteAsync(Context, StatusCodes.Status403Forbidden, "This API key is not allowed to use this endpoint.");

    /// <summary>The presented key, or a reason the credentials are unusable; (null, null) when none were sent.</summary>
    internal static (string? Key, string? Problem) ReadCredential(IHeaderDictionary headers)
    {
        string? bearer = null;
        var authorization = headers.Authorization;
        if (authorization.Count > 1 || headers[GatewayKeyDefaults.GoogApiKeyHeader].Count > 1)
        {
            return (null, "Send one credential, not several.");
        }

        if (authorization.Count == 1)
        {
            var value = authorization[0] ?? string.Empty;
            if (!value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                return (null, "Authorization must use the Bearer scheme: 'Authorization: Bearer <key>'.");
            }

            bearer = value["Bearer ".Length..].Trim();
        }

        var googKey = headers[GatewayKeyDefaults.GoogApiKeyHeader].Count == 1 ? headers[GatewayKeyDefaults.GoogApiKeyHeader][0]?.Trim() : null;
        if (bearer is not null && googKey is not null && !string.Equals(bearer, googKey, StringComparison.Ordinal))
        {
            return (null, "Authorization and x-goog-api-key carry different keys; send one.");
        }

        var key = bearer ?? googKey;
        return (string.IsNullOrEmpty(key) ? null : key, null);
    }
}

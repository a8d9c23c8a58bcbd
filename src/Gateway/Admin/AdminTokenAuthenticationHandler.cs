using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;

using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

using Routescope.Gateway.Errors;

namespace Routescope.Gateway.Admin;

/// <summary>Admin callers present <c>Authorization: Bearer &lt;GATEWAY_ADMIN_TOKEN&gt;</c>, compared in constant time.</summary>
internal sealed class AdminTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<AdminOptions> admin,
    AdminIdentity identity)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var expected = admin.Value.Token;
        var header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(expected) || header.Count != 1)
        {
            return Task.FromResult(header.Count == 0 ? AuthenticateResult.NoResult() : AuthenticateResult.Fail("Send exactly one Authorization header."));
        }

        var value = header[0] ?? string.Empty;
        if (!value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || !Matches(value["Bearer ".Length..].Trim(), expected))
        {
            return Task.FromResult(AuthenticateResult.Fail("Admin token not valid."));
        }

        // The token's identity (never the token) is who the audit log says made a change.
        var caller = new ClaimsIdentity([new Claim(ClaimTypes.Name, identity.Name)], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(caller), Scheme.Name)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        await GeminiError.WriteAsync(Context, StatusCodes.Status401Unauthorized,
            result.Failure?.Message ?? "Missing admin token: send 'Authorization: Bearer <GATEWAY_ADMIN_TOKEN>'.");
    }

    /// <summary>Hashing first makes the comparison constant-time in the length too.</summary>
    private static bool Matches(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}

namespace Routescope.Gateway.Admin;

internal sealed class AdminOptions
{
    public const string SectionName = "Admin";

    /// <summary><c>GATEWAY_ADMIN_TOKEN</c>. The admin API exists only when it is set.</summary>
    public string? Token { get; set; }

    /// <summary>
    /// The admin token's name in the audit log (<c>admin:{TokenName}</c>), e.g. <c>ops</c>; unset: a fingerprint of
    /// the token (<c>admin:token-…</c>). Not a secret.
    /// </summary>
    public string? TokenName { get; set; }

    public bool Enabled => !string.IsNullOrEmpty(Token);
}

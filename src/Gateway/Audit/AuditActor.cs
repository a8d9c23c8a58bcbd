namespace Routescope.Gateway.Audit;

/// <summary>
/// Who made an audited change: <see cref="Name"/> is the admin credential's identity (<c>admin:ops</c>, or
/// <c>admin:token-…</c> for an unnamed token, see <c>Admin:TokenName</c>) or <c>cli</c>; <see cref="Origin"/> says
/// from where (the caller's address, or the CLI's <c>user@host</c>).
/// </summary>
internal sealed record AuditActor(string Name, string? Origin)
{
    public const string CliName = "cli";

    /// <summary>The CLI, run by this operating-system user on this machine.</summary>
    public static AuditActor Cli() => new(CliName, Environment.UserName + "@" + Environment.MachineName);
}

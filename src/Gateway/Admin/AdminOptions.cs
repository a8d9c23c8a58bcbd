namespace Routescope.Gateway.Admin;

internal sealed class AdminOptions
{
    public const string SectionName = "Admin";

    /// <summary><c>GATEWAY_ADMIN_TOKEN</c>. The admin API exists only when it is set.</summary>
    public string? Token { get; set; }

    public bool Enabled => !string.IsNullOrEmpty(Token);
}

namespace Routescope.Gateway.Admin;

internal static class AdminDefaults
{
    public const string Scheme = "AdminToken";
    public const string Policy = "admin";
}

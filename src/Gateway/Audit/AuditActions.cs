namespace Routescope.Gateway.Audit;

/// <summary>The actions the audit log records.</summary>
internal static class AuditActions
{
    public const string KeyCreated = "key.create";
    public const string KeyPolicyChanged = "key.policy";
    public const string KeyRevoked = "key.revoke";
    public const string GroupPut = "group.put";
}

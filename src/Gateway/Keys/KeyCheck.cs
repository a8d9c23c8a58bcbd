namespace Routescope.Gateway.Keys;

/// <summary>The verdict on a presented key.</summary>
internal enum KeyCheck
{
    Valid,
    Unknown,
    Expired,
    Revoked,
}

namespace Routescope.Gateway.Admin;

/// <summary>Body of <c>POST /admin/keys</c>.</summary>
internal sealed record CreateKeyRequest
{
    public string? Name { get; init; }
    public string? Group { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
}

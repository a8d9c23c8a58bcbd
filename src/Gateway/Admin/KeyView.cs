using System.Text.Json.Serialization;

using Routescope.Gateway.Keys;

namespace Routescope.Gateway.Admin;

/// <summary>A key as the admin API shows it: the plain key only right after creation, the hash never.</summary>
internal sealed record KeyView
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Group { get; init; }
    public required string Prefix { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? ExpiresAt { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary><c>active</c>, <c>expired</c> or <c>revoked</c>.</summary>
    public required string Status { get; init; }

    /// <summary>Present only in the creation response.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Key { get; init; }

    public static KeyView From(GatewayKey key, DateTimeOffset now, string? secret = null) => new()
    {
        Id = key.Id,
        Name = key.Name,
        Group = key.Group,
        Prefix = key.Prefix,
        CreatedAt = key.CreatedAt,
        ExpiresAt = key.ExpiresAt,
        RevokedAt = key.RevokedAt,
        Status = key.RevokedAt is not null ? "revoked" : key.ExpiresAt is { } expires && expires <= now ? "expired" : "active",
        Key = secret,
    };
}

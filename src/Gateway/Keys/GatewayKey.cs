namespace Routescope.Gateway.Keys;

/// <summary>A gateway key as stored: never the key itself, only what identifies and governs it.</summary>
internal sealed record GatewayKey
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Group { get; init; }

    /// <summary>The first characters of the key (<c>rsg_AbCdEfGh</c>), safe to show in logs and exports.</summary>
    public required string Prefix { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>The key's own policy (its <see cref="KeyPolicy.ExpiresAt"/> is <see cref="ExpiresAt"/>); unset fields come from the group.</summary>
    public KeyPolicy Policy { get; init; } = KeyPolicy.None;

    /// <summary>The key's own policy with its expiry, as the admin API shows and sets it.</summary>
    public KeyPolicy OwnPolicy => Policy with { ExpiresAt = ExpiresAt };
}

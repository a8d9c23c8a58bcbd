using Microsoft.Extensions.Options;

namespace Routescope.Gateway.Keys;

/// <summary>Creates, lists, revokes and checks gateway keys; the admin API, the CLI and authentication share it.</summary>
internal sealed class GatewayKeyService(IKeyStore store, KeyCache cache, TimeProvider time, IOptions<KeysOptions> options)
{
    public async Task<(GatewayKey Key, string Secret)> CreateAsync(string name, string? group, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        var (secret, prefix) = GatewayKeyFormat.Generate();
        var key = new GatewayKey
        {
            Id = GatewayKeyFormat.NewId(),
            Name = name,
            Group = string.IsNullOrWhiteSpace(group) ? options.Value.DefaultGroup : group,
            Prefix = prefix,
            CreatedAt = time.GetUtcNow(),
            ExpiresAt = expiresAt,
        };
        var hash = GatewayKeyFormat.Hash(secret);
        await store.InsertAsync(key, hash, cancellationToken);
        // A miss for this hash could only be cached by someone guessing the key; drop it anyway.
        cache.Remove(hash);
        return (key, secret);
    }

    public Task<IReadOnlyList<GatewayKey>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(cancellationToken);

    /// <summary>Revokes the key; false when there is no such key. Takes effect on this replica immediately.</summary>
    public async Task<bool> RevokeAsync(string id, CancellationToken cancellationToken)
    {
        var hash = await store.RevokeAsync(id, time.GetUtcNow(), cancellationToken);
        if (hash is null)
        {
            return false;
        }

        cache.Remove(hash);
        return true;
    }

    public async Task<(KeyCheck Check, GatewayKey? Key)> CheckAsync(string presented, CancellationToken cancellationToken)
    {
        if (!GatewayKeyFormat.IsWellFormed(presented))
        {
            return (KeyCheck.Unknown, null);
        }

        var hash = GatewayKeyFormat.Hash(presented);
        if (!cache.TryGet(hash, out var key))
        {
            key = await store.FindByHashAsync(hash, cancellationToken);
            cache.Set(hash, key);
        }

        if (key is null)
        {
            return (KeyCheck.Unknown, null);
        }

        if (key.RevokedAt is not null)
        {
            return (KeyCheck.Revoked, key);
        }

        return key.ExpiresAt is { } expires && expires <= time.GetUtcNow() ? (KeyCheck.Expired, key) : (KeyCheck.Valid, key);
    }
}

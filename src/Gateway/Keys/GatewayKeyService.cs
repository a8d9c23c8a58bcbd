using Microsoft.Extensions.Options;

using Routescope.Gateway.Audit;

namespace Routescope.Gateway.Keys;

/// <summary>
/// Creates, lists, revokes and checks gateway keys; the admin API, the CLI and authentication share it. Every change
/// is audited: the store keeps its entry in the change's own transaction, and the entry is logged once kept.
/// </summary>
internal sealed class GatewayKeyService(
    IKeyStore store, KeyCache cache, KeyGroupCache groups, TimeProvider time, IOptions<KeysOptions> options, ILogger<GatewayKeyService> logger)
{
    public Task<(GatewayKey Key, string Secret)> CreateAsync(string name, string? group, DateTimeOffset? expiresAt, AuditActor actor, CancellationToken cancellationToken) =>
        CreateAsync(name, group, KeyPolicy.None with { ExpiresAt = expiresAt }, actor, cancellationToken);

    /// <summary>Creates a key with its own policy (whose expiry becomes the key's).</summary>
    public async Task<(GatewayKey Key, string Secret)> CreateAsync(string name, string? group, KeyPolicy policy, AuditActor actor, CancellationToken cancellationToken)
    {
        var (secret, prefix) = GatewayKeyFormat.Generate();
        var key = new GatewayKey
        {
            Id = GatewayKeyFormat.NewId(),
            Name = name,
            Group = string.IsNullOrWhiteSpace(group) ? options.Value.DefaultGroup : group,
            Prefix = prefix,
            CreatedAt = time.GetUtcNow(),
            ExpiresAt = policy.ExpiresAt,
            Policy = policy with { ExpiresAt = null },
        };
        var hash = GatewayKeyFormat.Hash(secret);
        var audit = Entry(actor, AuditActions.KeyCreated, key.CreatedAt, key) with { Changes = KeyPolicyChanges.Between(KeyPolicy.None, key.OwnPolicy) };
        await store.InsertAsync(key, hash, audit, cancellationToken);
        AuditLog.Kept(logger, audit);
        // A miss for this hash could only be cached by someone guessing the key; drop it anyway.
        cache.Remove(hash);
        return (key, secret);
    }

    public Task<IReadOnlyList<GatewayKey>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(cancellationToken);

    public Task<GatewayKey?> FindAsync(string id, CancellationToken cancellationToken) => store.FindByIdAsync(id, cancellationToken);

    /// <summary>
    /// Applies <paramref name="patch"/> to the key's own policy; null when there is no such key. Takes effect on this
    /// replica immediately (its cache entry goes) and on the others within <see cref="KeysOptions.CacheTtl"/>.
    /// </summary>
    /// <remarks>
    /// Read, change, write: of two patches racing on one key the later write wins whole. Admin changes to one key are
    /// rare and made by people; a conditional update is not worth its complexity here.
    /// </remarks>
    public async Task<GatewayKey?> UpdatePolicyAsync(string id, KeyPolicyPatch patch, AuditActor actor, CancellationToken cancellationToken)
    {
        var key = await store.FindByIdAsync(id, cancellationToken);
        if (key is null)
        {
            return null;
        }

        // A damaged policy has no fields to keep: the patch's fields become the whole policy, and it is readable again.
        var policy = patch.ApplyTo(key.OwnPolicy with { Unreadable = false });
        var audit = Entry(actor, AuditActions.KeyPolicyChanged, time.GetUtcNow(), key) with { Changes = KeyPolicyChanges.Between(key.OwnPolicy, policy) };
        var hash = await store.UpdatePolicyAsync(id, policy, audit, cancellationToken);
        if (hash is null)
        {
            return null;
        }

        cache.Remove(hash);
        AuditLog.Kept(logger, audit);
        return key with { ExpiresAt = policy.ExpiresAt, Policy = policy with { ExpiresAt = null } };
    }

    /// <summary>The group put under this name or named by a key; null when neither.</summary>
    public Task<KeyGroup?> FindGroupAsync(string name, CancellationToken cancellationToken) => store.FindGroupAsync(name, cancellationToken);

    public Task<IReadOnlyList<KeyGroup>> ListGroupsAsync(CancellationToken cancellationToken) => store.ListGroupsAsync(cancellationToken);

    /// <summary>Replaces the group's policy (creating the group if need be); <c>Created</c> when no key named it and it was never put.</summary>
    public async Task<(KeyGroup Group, bool Created)> PutGroupAsync(string name, KeyPolicy policy, AuditActor actor, CancellationToken cancellationToken)
    {
        var existing = await store.FindGroupAsync(name, cancellationToken);
        var group = new KeyGroup { Name = name, Policy = policy, UpdatedAt = time.GetUtcNow() };
        var audit = AuditEntry.Of(actor, AuditActions.GroupPut, group.UpdatedAt.Value) with
        {
            Group = name,
            Changes = KeyPolicyChanges.Between(existing?.Policy ?? KeyPolicy.None, policy),
        };
        await store.PutGroupAsync(group, audit, cancellationToken);
        // At once on this replica; the others within Keys:CacheTtl.
        groups.Remove(name);
        AuditLog.Kept(logger, audit);
        return (group, existing is null);
    }

    /// <summary>Revokes the key; false when there is no such key. Takes effect on this replica immediately.</summary>
    public async Task<bool> RevokeAsync(string id, AuditActor actor, CancellationToken cancellationToken)
    {
        // Read first for the entry's name and group; a key revoked twice keeps its first time, and its entry says no field changed.
        var key = await store.FindByIdAsync(id, cancellationToken);
        if (key is null)
        {
            return false;
        }

        var now = time.GetUtcNow();
        var audit = Entry(actor, AuditActions.KeyRevoked, now, key) with
        {
            Changes = key.RevokedAt is null ? [new AuditChange("revokedAt", null, KeyPolicyChanges.Time(now))] : [],
        };
        var hash = await store.RevokeAsync(id, now, audit, cancellationToken);
        if (hash is null)
        {
            return false;
        }

        cache.Remove(hash);
        AuditLog.Kept(logger, audit);
        return true;
    }

    /// <summary>Whether the presented key may call, the key, and (for a key that may) its effective policy, which the check needed anyway.</summary>
    public async Task<(KeyCheck Check, GatewayKey? Key, KeyPolicy? Policy)> CheckAsync(string presented, CancellationToken cancellationToken)
    {
        if (!GatewayKeyFormat.IsWellFormed(presented))
        {
            return (KeyCheck.Unknown, null, null);
        }

        var hash = GatewayKeyFormat.Hash(presented);
        if (!cache.TryGet(hash, out var key))
        {
            key = await store.FindByHashAsync(hash, cancellationToken);
            cache.Set(hash, key);
        }

        if (key is null)
        {
            return (KeyCheck.Unknown, null, null);
        }

        if (key.RevokedAt is not null)
        {
            return (KeyCheck.Revoked, key, null);
        }

        // The group's expiry counts for keys that set none of their own.
        var policy = await EffectivePolicyAsync(key, cancellationToken);
        return policy.ExpiresAt is { } expires && expires <= time.GetUtcNow() ? (KeyCheck.Expired, key, null) : (KeyCheck.Valid, key, policy);
    }

    private static AuditEntry Entry(AuditActor actor, string action, DateTimeOffset at, GatewayKey key) =>
        AuditEntry.Of(actor, action, at) with { KeyId = key.Id, KeyName = key.Name, Group = key.Group };

    /// <summary>The key's policy after inheritance: its own fields where set, its group's elsewhere.</summary>
    public async ValueTask<KeyPolicy> EffectivePolicyAsync(GatewayKey key, CancellationToken cancellationToken) =>
        KeyPolicyDefaults.Effective(key, new KeyGroup { Name = key.Group, Policy = await groups.PolicyOfAsync(key.Group, cancellationToken) });
}

using Routescope.Gateway.Audit;

namespace Routescope.Gateway.Keys;

/// <summary>
/// Persistence of gateway keys; implemented per provider in <c>Storage/Sqlite</c> and <c>Storage/Postgres</c>. Each
/// change keeps its <see cref="AuditEntry"/> in the same transaction: no change without its entry, no entry without
/// its change.
/// </summary>
internal interface IKeyStore
{
    Task InsertAsync(GatewayKey key, string keyHash, AuditEntry audit, CancellationToken cancellationToken);

    Task<GatewayKey?> FindByHashAsync(string keyHash, CancellationToken cancellationToken);

    Task<IReadOnlyList<GatewayKey>> ListAsync(CancellationToken cancellationToken);

    Task<GatewayKey?> FindByIdAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the key's own policy (its expiry included, stored as the key's expiry); returns the key's hash, for the
    /// cache, or null when there is no such key.
    /// </summary>
    Task<string?> UpdatePolicyAsync(string id, KeyPolicy policy, AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>The group by name: the one put, or (policy-less) one that only keys name; null when neither.</summary>
    Task<KeyGroup?> FindGroupAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every group put or named by a key, by name.</summary>
    Task<IReadOnlyList<KeyGroup>> ListGroupsAsync(CancellationToken cancellationToken);

    /// <summary>Creates the group or replaces its policy.</summary>
    Task PutGroupAsync(KeyGroup group, AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>Marks the key revoked (keeping the first revocation time) and returns its hash; null if no such key (and no entry is kept).</summary>
    Task<string?> RevokeAsync(string id, DateTimeOffset revokedAt, AuditEntry audit, CancellationToken cancellationToken);
}

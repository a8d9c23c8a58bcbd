namespace Routescope.Gateway.Keys;

/// <summary>Persistence of gateway keys; implemented per provider in <c>Storage/Sqlite</c> and <c>Storage/Postgres</c>.</summary>
internal interface IKeyStore
{
    Task InsertAsync(GatewayKey key, string keyHash, CancellationToken cancellationToken);

    Task<GatewayKey?> FindByHashAsync(string keyHash, CancellationToken cancellationToken);

    Task<IReadOnlyList<GatewayKey>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Marks the key revoked (keeping the first revocation time) and returns its hash; null if no such key.</summary>
    Task<string?> RevokeAsync(string id, DateTimeOffset revokedAt, CancellationToken cancellationToken);
}

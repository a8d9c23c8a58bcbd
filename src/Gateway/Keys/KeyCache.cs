using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Routescope.Gateway.Keys;

/// <summary>
/// Bounded cache of key lookups by hash, including misses. Freshness is judged with the injected
/// <see cref="TimeProvider"/> so tests can move time; the memory cache only bounds and evicts.
/// </summary>
internal sealed class KeyCache(IOptions<KeysOptions> options, TimeProvider time) : IDisposable
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = options.Value.CacheSize });

    /// <summary>When the freshest cached key (not a miss) stops being trusted, as UTC ticks.</summary>
    private long _keysValidUntil;

    /// <summary>
    /// Whether some key read from the store is still trusted: while the store is out, this replica can then still
    /// serve the callers it saw recently. Revocations and evictions are not subtracted; it answers "probably some".
    /// </summary>
    public bool HasFreshKeys => Interlocked.Read(ref _keysValidUntil) > time.GetUtcNow().UtcTicks;

    public bool TryGet(string keyHash, out GatewayKey? key)
    {
        if (_cache.TryGetValue(keyHash, out Entry? entry) && entry is not null && entry.ValidUntil > time.GetUtcNow())
        {
            key = entry.Key;
            return true;
        }

        key = null;
        return false;
    }

    public void Set(string keyHash, GatewayKey? key)
    {
        var ttl = options.Value.CacheTtl;
        if (ttl <= TimeSpan.Zero)
        {
            return;
        }

        var validUntil = time.GetUtcNow() + ttl;
        if (key is { RevokedAt: null })
        {
            var ticks = validUntil.UtcTicks;
            for (var seen = Interlocked.Read(ref _keysValidUntil); seen < ticks; seen = Interlocked.Read(ref _keysValidUntil))
            {
                if (Interlocked.CompareExchange(ref _keysValidUntil, ticks, seen) == seen)
                {
                    break;
                }
            }
        }

        _cache.Set(keyHash, new Entry(key, validUntil), new MemoryCacheEntryOptions
        {
            Size = 1,
            AbsoluteExpirationRelativeToNow = ttl,
        });
    }

    public void Remove(string keyHash) => _cache.Remove(keyHash);

    public void Dispose() => _cache.Dispose();

    private sealed record Entry(GatewayKey? Key, DateTimeOffset ValidUntil);
}

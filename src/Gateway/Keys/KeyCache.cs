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

        _cache.Set(keyHash, new Entry(key, time.GetUtcNow() + ttl), new MemoryCacheEntryOptions
        {
            Size = 1,
            AbsoluteExpirationRelativeToNow = ttl,
        });
    }

    public void Remove(string keyHash) => _cache.Remove(keyHash);

    public void Dispose() => _cache.Dispose();

    private sealed record Entry(GatewayKey? Key, DateTimeOffset ValidUntil);
}

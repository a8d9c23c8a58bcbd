using System.Collections.Concurrent;

using Microsoft.Extensions.Options;

namespace Routescope.Gateway.Keys;

/// <summary>
/// Group policies as requests need them, trusted for <c>Keys:CacheTtl</c> like keys are: a change reaches the
/// replica that made it at once (it drops the entry) and the others within the TTL. Groups are few (names admins
/// give), so the map needs no bound.
/// </summary>
internal sealed class KeyGroupCache(IKeyStore store, IOptions<KeysOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Entry> _groups = new(StringComparer.Ordinal);

    /// <summary>Moves on every removal: a read that began before one must not cache what it read.</summary>
    private long _version;

    public async ValueTask<KeyPolicy> PolicyOfAsync(string group, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_groups.TryGetValue(group, out var entry) && entry.ValidUntil > now)
        {
            return entry.Policy;
        }

        var version = Interlocked.Read(ref _version);
        var policy = (await store.FindGroupAsync(group, cancellationToken))?.Policy ?? KeyPolicy.None;
        if (options.Value.CacheTtl > TimeSpan.Zero && Interlocked.Read(ref _version) == version)
        {
            _groups[group] = new Entry(policy, now + options.Value.CacheTtl);
        }

        return policy;
    }

    public void Remove(string group)
    {
        Interlocked.Increment(ref _version);
        _groups.TryRemove(group, out _);
    }

    private sealed record Entry(KeyPolicy Policy, DateTimeOffset ValidUntil);
}

namespace Routescope.Gateway.Inspection.Buffering;

/// <summary>
/// The temp directory request bodies spill to, and the bytes all requests hold there at once, bounded by
/// <c>Limits:MaxTempBytes</c>: a burst of large edits is refused (503, retry) before it fills the disk, where the
/// kubelet would evict the pod (an <c>emptyDir</c> over its size limit) or the journal would lose its room.
/// </summary>
internal sealed class TempSpace(string directory, long maxBytes)
{
    /// <summary>What <c>Retry-After</c> says when the space is taken: large bodies are read and sent on within seconds.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    private long _inUse;

    /// <summary>For callers without a configured space: the system temp directory, no bound.</summary>
    public static TempSpace Unbounded { get; } = new(Path.GetTempPath(), long.MaxValue);

    /// <summary>Where spilled bodies go (absolute).</summary>
    public string Directory { get; } = Path.GetFullPath(directory);

    public long MaxBytes { get; } = maxBytes;

    /// <summary>Bytes reserved by the bodies spilled now.</summary>
    public long InUse => Interlocked.Read(ref _inUse);

    /// <summary>Reserves <paramref name="bytes"/> more; false (nothing reserved) when that would pass the bound.</summary>
    public bool TryReserve(long bytes)
    {
        for (var seen = InUse; ; seen = InUse)
        {
            if (bytes > MaxBytes - seen)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _inUse, seen + bytes, seen) == seen)
            {
                return true;
            }
        }
    }

    public void Release(long bytes) => Interlocked.Add(ref _inUse, -bytes);
}

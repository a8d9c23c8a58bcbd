namespace Routescope.Gateway.Catalog;

/// <summary>The <c>Limits</c> section: bounds every request shares, whatever its model.</summary>
internal sealed class RequestLimitsOptions
{
    public const string SectionName = "Limits";

    /// <summary>Largest request body the gateway reads; larger ones get 413 without being read further.</summary>
    public long MaxRequestBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>Bodies up to this size are held in pooled memory; larger ones in a temp file.</summary>
    public int MemoryBufferBytes { get; set; } = 1024 * 1024;

    /// <summary>Where bodies beyond <see cref="MemoryBufferBytes"/> are spilled; empty means the system temp directory.</summary>
    public string? TempDirectory { get; set; }

    /// <summary>
    /// Most bytes all spilled bodies may hold at once: 16 bodies of the default 32 MiB <see cref="MaxRequestBytes"/>.
    /// Past it a request gets 503 with Retry-After (413 when it alone is larger); size the temp volume above it.
    /// </summary>
    public long MaxTempBytes { get; set; } = 16L * 32 * 1024 * 1024;

    /// <summary>Deepest JSON nesting accepted (Gemini requests need about 8).</summary>
    public int MaxJsonDepth { get; set; } = 32;
}

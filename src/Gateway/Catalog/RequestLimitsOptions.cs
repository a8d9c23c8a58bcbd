namespace Routescope.Gateway.Catalog;

/// <summary>The <c>Limits</c> section: bounds every request shares, whatever its model.</summary>
internal sealed class RequestLimitsOptions
{
    public const string SectionName = "Limits";

    /// <summary>Largest request body the gateway reads; larger ones get 413 without being read further.</summary>
    public long MaxRequestBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>Bodies up to this size are held in pooled memory; larger ones in a temp file.</summary>
    public int MemoryBufferBytes { get; set; } = 1024 * 1024;

    /// <summary>Deepest JSON nesting accepted (Gemini requests need about 8).</summary>
    public int MaxJsonDepth { get; set; } = 32;
}

namespace Routescope.Gateway.Catalog;

internal static class ImageSizes
{
    /// <summary>The <c>imageSize</c> values Gemini knows; upper-case K, as Google rejects "1k".</summary>
    public static readonly string[] Known = ["512", "1K", "2K", "4K"];
}

namespace Routescope.Fake;

/// <summary>
/// Tokens the real models bill per output image, by the request's imageSize (Google's published figures):
/// gemini-3-pro-image-preview 1120 for 1K and 2K (1K when absent) and 2000 for 4K; gemini-3.1-flash-image-preview 1120
/// (Routescope takes imageSize for 3 Pro only, so it always makes the default size); gemini-2.5-flash-image and any
/// other image model 1290.
/// </summary>
internal static class ImageTokenTable
{
    public static int For(string model, string? imageSize) => model switch
    {
        "gemini-3-pro-image-preview" => imageSize == "4K" ? 2000 : 1120,
        "gemini-3.1-flash-image-preview" => 1120,
        _ => 1290,
    };
}

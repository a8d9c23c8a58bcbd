namespace Routescope.Gateway.Inspection.Validation;

/// <summary>Recognises an image format from its first bytes, to catch a declared MIME type that lies.</summary>
internal static class ImageSignatures
{
    /// <summary>MIME types whose signature is known here; other declared types are not checked.</summary>
    public static bool IsCheckable(string mimeType) => mimeType is "image/png" or "image/jpeg" or "image/webp" or "image/heic" or "image/heif";

    /// <summary>The format the bytes start with, or null.</summary>
    public static string? Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "image/png";
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return "image/jpeg";
        }

        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return "image/webp";
        }

        if (head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8))
        {
            var brand = head[8..12];
            if (brand.SequenceEqual("heic"u8) || brand.SequenceEqual("heix"u8) || brand.SequenceEqual("hevc"u8) || brand.SequenceEqual("hevx"u8)
                || brand.SequenceEqual("heim"u8) || brand.SequenceEqual("heis"u8))
            {
                return "image/heic";
            }

            if (brand.SequenceEqual("mif1"u8) || brand.SequenceEqual("msf1"u8) || brand.SequenceEqual("heif"u8))
            {
                return "image/heif";
            }
        }

        return null;
    }

    /// <summary>HEIC is HEIF with HEVC inside; files of either kind are labelled with either type in the wild.</summary>
    public static bool Matches(string declared, string? detected) =>
        string.Equals(declared, detected, StringComparison.Ordinal)
        || (declared is "image/heic" or "image/heif" && detected is "image/heic" or "image/heif");
}

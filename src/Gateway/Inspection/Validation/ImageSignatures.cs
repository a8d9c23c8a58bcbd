namespace Routescope.Gateway.Inspection.Validation;

/// <summary>Recognises an image format from its first bytes, to catch a declared MIME type that lies.</summary>
internal static class ImageSignatures
{
    /// <summary>MIME types whose signature is known here; other declared types are not checked.</summary>
    private static readonly string[] Checkable = ["image/png", "image/jpeg", "image/webp", "image/heic", "image/heif"];

    /// <summary>
    /// The known image type a declared MIME type names, compared as MIME types are (RFC 2045: case-insensitive,
    /// parameters aside), so <c>IMAGE/PNG; q=1</c> cannot slip JPEG bytes past the check; null for other types.
    /// </summary>
    public static string? CheckableType(string declared)
    {
        var type = declared.AsSpan();
        if (type.IndexOf(';') is var parameters and >= 0)
        {
            type = type[..parameters];
        }

        type = type.Trim();
        foreach (var known in Checkable)
        {
            if (type.Equals(known, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        return null;
    }

    /// <summary>Whether data starting with <paramref name="head"/> is not of the checkable type <paramref name="declared"/> names.</summary>
    public static bool Contradicts(string declared, ReadOnlySpan<byte> head) =>
        CheckableType(declared) is { } type && !Matches(type, Detect(head));

    /// <summary>Why data starting with <paramref name="head"/> is not of the declared type, for a case <see cref="Contradicts"/> found.</summary>
    public static string Contradiction(string declared, ReadOnlySpan<byte> head) => Detect(head) is { } actual
        ? $"the data is not {declared} (it looks like {actual})"
        : $"the data is not {declared} (its first bytes match no supported image format)";

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

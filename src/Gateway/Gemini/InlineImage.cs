namespace Routescope.Gateway.Gemini;

/// <summary>What the gateway learns of an inline data part without ever holding its data as a string.</summary>
internal sealed record InlineImage
{
    /// <summary>Path of the part's inline data object, e.g. <c>contents[0].parts[1].inline_data</c>.</summary>
    public required string Path { get; init; }

    public ShapeField<string>? MimeType { get; init; }

    /// <summary>Path of the data field, when present.</summary>
    public string? DataPath { get; init; }

    public long DecodedLength { get; init; }
    public bool Base64Valid { get; init; }

    /// <summary>The first decoded bytes (at most 12), enough to recognise the image format.</summary>
    public byte[] Head { get; init; } = [];
}

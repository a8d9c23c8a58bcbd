using System.Text.Json;

namespace Routescope.Fake;

/// <summary>
/// generationConfig.imageConfig.imageSize of a generate request, in either proto3 JSON spelling (camelCase or
/// snake_case). Everything else, base64 images included, is skipped without being materialised.
/// </summary>
internal static class ImageSizeReader
{
    public static string? Read(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            return reader.Read() && reader.TokenType == JsonTokenType.StartObject
                && EnterObject(ref reader, "generationConfig"u8, "generation_config"u8)
                && EnterObject(ref reader, "imageConfig"u8, "image_config"u8)
                && FindProperty(ref reader, "imageSize"u8, "image_size"u8)
                && reader.TokenType == JsonTokenType.String
                ? reader.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool EnterObject(ref Utf8JsonReader reader, ReadOnlySpan<byte> camel, ReadOnlySpan<byte> snake) =>
        FindProperty(ref reader, camel, snake) && reader.TokenType == JsonTokenType.StartObject;

    /// <summary>Moves to the value of the named property of the current object; false at the object's end.</summary>
    private static bool FindProperty(ref Utf8JsonReader reader, ReadOnlySpan<byte> camel, ReadOnlySpan<byte> snake)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var match = reader.ValueTextEquals(camel) || reader.ValueTextEquals(snake);
            reader.Read();
            if (match)
            {
                return true;
            }

            reader.Skip();
        }

        return false;
    }
}

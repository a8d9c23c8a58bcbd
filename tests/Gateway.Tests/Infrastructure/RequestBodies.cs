using System.Text;
using System.Text.Json;

namespace Routescope.Gateway.Tests.Infrastructure;

/// <summary>generateContent bodies in either proto3 JSON spelling (camelCase as SDKs send, snake_case as the seed shows).</summary>
public static class RequestBodies
{
    public static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];
    public static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 0x4A, 0x46, 0x49, 0x46, 0, 1];
    public static readonly byte[] Webp = [.. "RIFF"u8, 0x24, 0, 0, 0, .. "WEBPVP8 "u8];
    public static readonly byte[] Heic = [0, 0, 0, 0x18, .. "ftypheic"u8, 0, 0, 0, 0];
    public static readonly byte[] Heif = [0, 0, 0, 0x18, .. "ftypmif1"u8, 0, 0, 0, 0];

    public sealed record Image(string MimeType, byte[] Data);

    public static string Generate(
        bool snake = false,
        string? prompt = "A lighthouse at dusk",
        string? aspectRatio = null,
        string? imageSize = null,
        string[]? modalities = null,
        int? candidateCount = null,
        params Image[] images)
    {
        string Name(string camel, string snakeName) => snake ? snakeName : camel;
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteStartArray("contents");
            json.WriteStartObject();
            json.WriteString("role", "user");
            json.WriteStartArray("parts");
            if (prompt is not null)
            {
                json.WriteStartObject();
                json.WriteString("text", prompt);
                json.WriteEndObject();
            }

            foreach (var image in images)
            {
                json.WriteStartObject();
                json.WriteStartObject(Name("inlineData", "inline_data"));
                json.WriteString(Name("mimeType", "mime_type"), image.MimeType);
                json.WriteBase64String("data", image.Data);
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteStartObject(Name("generationConfig", "generation_config"));
            if (modalities is not null)
            {
                json.WriteStartArray(Name("responseModalities", "response_modalities"));
                foreach (var modality in modalities)
                {
                    json.WriteStringValue(modality);
                }

                json.WriteEndArray();
            }

            if (candidateCount is { } count)
            {
                json.WriteNumber(Name("candidateCount", "candidate_count"), count);
            }

            if (aspectRatio is not null || imageSize is not null)
            {
                json.WriteStartObject(Name("imageConfig", "image_config"));
                if (aspectRatio is not null)
                {
                    json.WriteString(Name("aspectRatio", "aspect_ratio"), aspectRatio);
                }

                if (imageSize is not null)
                {
                    json.WriteString(Name("imageSize", "image_size"), imageSize);
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>An image of <paramref name="length"/> bytes starting with <paramref name="signature"/>.</summary>
    public static byte[] WithSignature(byte[] signature, int length)
    {
        var data = new byte[Math.Max(length, signature.Length)];
        new Random(length).NextBytes(data);
        signature.CopyTo(data, 0);
        return data;
    }

    /// <summary>
    /// An edit request (snake_case, as in the seed) whose valid PNG data carries a marker: wherever the marker shows up,
    /// image data leaked.
    /// </summary>
    public static (string Body, string Marker) EditWithMarkedImage()
    {
        var marker = "SECRETIMAGEDATA" + Guid.NewGuid().ToString("N").ToUpperInvariant() + "A";
        var data = Convert.ToBase64String(Png.AsSpan(0, 12)) + marker;
        var body = """{"contents":[{"parts":[{"text":"edit"},{"inline_data":{"mime_type":"image/png","data":""" + "\"" + data + "\"}}]}]}";
        return (body, marker);
    }
}

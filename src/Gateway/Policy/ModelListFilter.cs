using System.IO.Compression;
using System.Text.Json;

namespace Routescope.Gateway.Policy;

/// <summary>
/// A <c>models.list</c> answer cut to the models a key may use: every top-level field (<c>nextPageToken</c> among
/// them) as the upstream wrote it, <c>models</c> without the entries the allow-list excludes.
/// </summary>
internal static class ModelListFilter
{
    private const string NamePrefix = "models/";

    /// <summary>
    /// The filtered list, or null when the body is not a model list this can read (not JSON, not an object, models
    /// not a list of objects): then nothing of it may reach the client, since what it lists cannot be checked.
    /// </summary>
    public static byte[]? Filter(ReadOnlyMemory<byte> json, IReadOnlyList<string> allowed)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            using var output = new MemoryStream(json.Length);
            using (var writer = new Utf8JsonWriter(output))
            {
                writer.WriteStartObject();
                foreach (var property in root.EnumerateObject())
                {
                    if (property.NameEquals("models"))
                    {
                        if (property.Value.ValueKind != JsonValueKind.Array)
                        {
                            return null;
                        }

                        writer.WritePropertyName(property.Name);
                        writer.WriteStartArray();
                        foreach (var model in property.Value.EnumerateArray())
                        {
                            if (model.ValueKind != JsonValueKind.Object)
                            {
                                return null;
                            }

                            // An entry without a readable name cannot be checked, so it is left out.
                            if (IdOf(model) is { } id && ModelPattern.Allows(allowed, id))
                            {
                                model.WriteTo(writer);
                            }
                        }

                        writer.WriteEndArray();
                    }
                    else
                    {
                        property.WriteTo(writer);
                    }
                }

                writer.WriteEndObject();
            }

            return output.ToArray();
        }
    }

    /// <summary>
    /// The body undone from its content coding (the upstream is asked for identity, but may compress anyway), or null
    /// for a coding this cannot undo, a corrupt stream, or one that decodes to more than <paramref name="maxBytes"/>.
    /// </summary>
    public static byte[]? Decode(ReadOnlyMemory<byte> body, string? contentEncoding, int maxBytes)
    {
        var coding = contentEncoding?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(coding) || coding == "identity")
        {
            return body.ToArray();
        }

        using var input = new MemoryStream(body.ToArray(), writable: false);
        using Stream? decoder = coding switch
        {
            "gzip" or "x-gzip" => new GZipStream(input, CompressionMode.Decompress),
            "deflate" => new ZLibStream(input, CompressionMode.Decompress),
            "br" => new BrotliStream(input, CompressionMode.Decompress),
            _ => null,
        };
        if (decoder is null)
        {
            return null;
        }

        using var output = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = decoder.Read(chunk)) > 0)
            {
                if (output.Length + read > maxBytes)
                {
                    return null;
                }

                output.Write(chunk, 0, read);
            }
        }
        catch (InvalidDataException)
        {
            return null;
        }

        return output.ToArray();
    }

    /// <summary>The model id of a list entry: its <c>name</c> (<c>models/{id}</c>) without the prefix.</summary>
    private static string? IdOf(JsonElement model) =>
        model.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String && name.GetString() is { } text
            ? text.StartsWith(NamePrefix, StringComparison.Ordinal) ? text[NamePrefix.Length..] : text
            : null;
}

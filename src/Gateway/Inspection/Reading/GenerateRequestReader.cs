using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

using Routescope.Gateway.Errors;
using Routescope.Gateway.Gemini;

namespace Routescope.Gateway.Inspection.Reading;

/// <summary>
/// Reads a generateContent body in one pass with <see cref="Utf8JsonReader"/> over the buffered segments into a
/// <see cref="RequestShape"/>. Only the inspected fields are materialised, and only when short; everything else,
/// above all inline image data, is skipped or scanned in place. Both proto3 JSON spellings are understood.
/// </summary>
internal static class GenerateRequestReader
{
    /// <summary>Longest string value materialised (MIME types, ratios, sizes, modalities are far shorter).</summary>
    private const int MaxInspectedString = 100;

    public static RequestShape Read(in ReadOnlySequence<byte> body, int maxDepth)
    {
        var shape = new Builder();
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = maxDepth, CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            if (!reader.Read())
            {
                return Fatal("the request body is empty; send a JSON object");
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return Fatal("the request body must be a JSON object");
            }

            ReadRoot(ref reader, shape);
            // A second top-level value makes the reader throw; reaching the end proves the body is one object.
            while (reader.Read())
            {
            }
        }
        catch (JsonException exception)
        {
            return Fatal("the body is not valid JSON (" + exception.Message + ")");
        }
        catch (InvalidOperationException)
        {
            return Fatal("the body is not valid UTF-8 JSON");
        }

        return shape.Build();
    }

    private static RequestShape Fatal(string description) => new() { ReadProblems = [new FieldViolation("$", description)] };

    private static void ReadRoot(ref Utf8JsonReader reader, Builder shape)
    {
        bool contents = false, generationConfig = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("contents"u8))
            {
                Once(ref contents, "contents", shape);
                reader.Read();
                ReadContents(ref reader, shape);
            }
            else if (Named(ref reader, "generationConfig"u8, "generation_config"u8, out var name))
            {
                Once(ref generationConfig, name, shape);
                reader.Read();
                ReadGenerationConfig(ref reader, shape, name);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private static void ReadContents(ref Utf8JsonReader reader, Builder shape)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        if (!Expect(ref reader, JsonTokenType.StartArray, "contents", "must be an array of contents", shape))
        {
            return;
        }

        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var path = $"contents[{index++}]";
            if (Expect(ref reader, JsonTokenType.StartObject, path, "must be an object with parts", shape))
            {
                ReadContent(ref reader, shape, path);
            }
        }

        shape.ContentsCount = index;
    }

    private static void ReadContent(ref Utf8JsonReader reader, Builder shape, string path)
    {
        var parts = false;
        int? count = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("parts"u8))
            {
                Once(ref parts, path + ".parts", shape);
                reader.Read();
                count = ReadParts(ref reader, shape, path + ".parts");
            }
            else
            {
                reader.Skip();
            }
        }

        shape.Parts.Add(new ShapeField<int?>(count, path + ".parts"));
    }

    private static int? ReadParts(ref Utf8JsonReader reader, Builder shape, string path)
    {
        if (reader.TokenType == JsonTokenType.Null || !Expect(ref reader, JsonTokenType.StartArray, path, "must be an array of parts", shape))
        {
            return null;
        }

        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var partPath = $"{path}[{index++}]";
            if (Expect(ref reader, JsonTokenType.StartObject, partPath, "must be an object", shape))
            {
                ReadPart(ref reader, shape, partPath);
            }
        }

        return index;
    }

    private static void ReadPart(ref Utf8JsonReader reader, Builder shape, string path)
    {
        bool text = false, inline = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("text"u8))
            {
                Once(ref text, path + ".text", shape);
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    shape.TextParts += reader.HasValueSequence ? (reader.ValueSequence.IsEmpty ? 0 : 1) : (reader.ValueSpan.IsEmpty ? 0 : 1);
                }
                else if (reader.TokenType != JsonTokenType.Null)
                {
                    shape.Problem(path + ".text", "must be a string");
                    reader.Skip();
                }
            }
            else if (Named(ref reader, "inlineData"u8, "inline_data"u8, out var name))
            {
                Once(ref inline, path + "." + name, shape);
                reader.Read();
                ReadInlineData(ref reader, shape, path + "." + name, snake: name == "inline_data");
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private static void ReadInlineData(ref Utf8JsonReader reader, Builder shape, string path, bool snake)
    {
        if (reader.TokenType == JsonTokenType.Null || !Expect(ref reader, JsonTokenType.StartObject, path, "must be an object with mimeType and data", shape))
        {
            return;
        }

        bool mimeSeen = false, dataSeen = false;
        ShapeField<string>? mime = null;
        string? dataPath = null;
        var scan = default(Base64Scanner);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (Named(ref reader, "mimeType"u8, "mime_type"u8, out var mimeName))
            {
                Once(ref mimeSeen, path + "." + mimeName, shape);
                reader.Read();
                mime = ReadShortString(ref reader, shape, path + "." + mimeName) is { } value ? new ShapeField<string>(value, path + "." + mimeName) : mime;
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                Once(ref dataSeen, path + ".data", shape);
                dataPath = path + ".data";
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    shape.Problem(dataPath, "must be a base64 string");
                    reader.Skip();
                    continue;
                }

                if (reader.HasValueSequence)
                {
                    foreach (var segment in reader.ValueSequence)
                    {
                        scan.Append(segment.Span, reader.ValueIsEscaped);
                    }
                }
                else
                {
                    scan.Append(reader.ValueSpan, reader.ValueIsEscaped);
                }
            }
            else
            {
                reader.Skip();
            }
        }

        if (!mimeSeen)
        {
            shape.Problem(path + (snake ? ".mime_type" : ".mimeType"), "required");
        }

        if (!dataSeen)
        {
            shape.Problem(path + ".data", "required");
        }

        var (_, decodedLength, valid, head) = scan.Complete();
        if (dataSeen && !valid)
        {
            shape.Problem(path + ".data", "is not valid base64");
        }

        shape.InlineImages.Add(new InlineImage
        {
            Path = path,
            MimeType = mime,
            DataPath = dataPath,
            DecodedLength = decodedLength,
            Base64Valid = valid,
            Head = head,
        });
    }

    private static void ReadGenerationConfig(ref Utf8JsonReader reader, Builder shape, string path)
    {
        if (reader.TokenType == JsonTokenType.Null || !Expect(ref reader, JsonTokenType.StartObject, path, "must be an object", shape))
        {
            return;
        }

        bool modalities = false, candidates = false, imageConfig = false, maxOutput = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (Named(ref reader, "responseModalities"u8, "response_modalities"u8, out var name))
            {
                var at = path + "." + name;
                Once(ref modalities, at, shape);
                reader.Read();
                shape.ResponseModalities = ReadStringArray(ref reader, shape, at) is { } values ? new ShapeField<IReadOnlyList<string>>(values, at) : null;
            }
            else if (Named(ref reader, "candidateCount"u8, "candidate_count"u8, out name))
            {
                var at = path + "." + name;
                Once(ref candidates, at, shape);
                reader.Read();
                if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var count))
                {
                    shape.CandidateCount = new ShapeField<long>(count, at);
                }
                else if (reader.TokenType != JsonTokenType.Null)
                {
                    shape.Problem(at, "must be an integer");
                    reader.Skip();
                }
            }
            else if (Named(ref reader, "maxOutputTokens"u8, "max_output_tokens"u8, out name))
            {
                // The cap of what the upstream may bill as output: budgets reserve against it.
                var at = path + "." + name;
                Once(ref maxOutput, at, shape);
                reader.Read();
                // Proto3 JSON takes an int32 as a number or as a string of one, and the upstream does too.
                if ((reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var tokens))
                    || (reader.TokenType == JsonTokenType.String && long.TryParse(reader.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out tokens)))
                {
                    shape.MaxOutputTokens = new ShapeField<long>(tokens, at);
                }
                else if (reader.TokenType != JsonTokenType.Null)
                {
                    shape.Problem(at, "must be an integer");
                    reader.Skip();
                }
            }
            else if (Named(ref reader, "imageConfig"u8, "image_config"u8, out name))
            {
                var at = path + "." + name;
                Once(ref imageConfig, at, shape);
                reader.Read();
                ReadImageConfig(ref reader, shape, at);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private static void ReadImageConfig(ref Utf8JsonReader reader, Builder shape, string path)
    {
        if (reader.TokenType == JsonTokenType.Null || !Expect(ref reader, JsonTokenType.StartObject, path, "must be an object", shape))
        {
            return;
        }

        bool ratio = false, size = false;
        // Property spans (name start, value end) let fallback cut imageSize out with exactly one comma.
        var properties = new List<BodyRange>(4);
        var sizeIndex = -1;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var nameStart = reader.TokenStartIndex;
            if (Named(ref reader, "aspectRatio"u8, "aspect_ratio"u8, out var name))
            {
                var at = path + "." + name;
                Once(ref ratio, at, shape);
                reader.Read();
                var tokenStart = reader.TokenStartIndex;
                shape.AspectRatio = ReadShortString(ref reader, shape, at) is { } value ? new ShapeField<string>(value, at) : null;
                shape.AspectRatioToken = shape.AspectRatio is null ? null : new BodyRange(tokenStart, reader.BytesConsumed);
            }
            else if (Named(ref reader, "imageSize"u8, "image_size"u8, out name))
            {
                var at = path + "." + name;
                Once(ref size, at, shape);
                reader.Read();
                shape.ImageSize = ReadShortString(ref reader, shape, at) is { } value ? new ShapeField<string>(value, at) : null;
                sizeIndex = properties.Count;
            }
            else
            {
                reader.Skip();
            }

            properties.Add(new BodyRange(nameStart, reader.BytesConsumed));
        }

        if (sizeIndex >= 0 && shape.ImageSize is not null)
        {
            shape.ImageSizeProperty = sizeIndex > 0
                ? new BodyRange(properties[sizeIndex - 1].End, properties[sizeIndex].End)
                : properties.Count > 1
                    ? new BodyRange(properties[0].Start, properties[1].Start)
                    : properties[0];
        }
    }

    private static List<string>? ReadStringArray(ref Utf8JsonReader reader, Builder shape, string path)
    {
        if (reader.TokenType == JsonTokenType.Null || !Expect(ref reader, JsonTokenType.StartArray, path, "must be an array of strings", shape))
        {
            return null;
        }

        var values = new List<string>();
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (ReadShortString(ref reader, shape, $"{path}[{index++}]") is { } value)
            {
                values.Add(value);
            }
        }

        return values;
    }

    /// <summary>A short string value; null (with a problem recorded) for other types or overlong values.</summary>
    private static string? ReadShortString(ref Utf8JsonReader reader, Builder shape, string path)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            shape.Problem(path, "must be a string");
            reader.Skip();
            return null;
        }

        var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length > MaxInspectedString)
        {
            shape.Problem(path, $"is longer than {MaxInspectedString} characters");
            return null;
        }

        return reader.GetString();
    }

    private static bool Expect(ref Utf8JsonReader reader, JsonTokenType type, string path, string description, Builder shape)
    {
        if (reader.TokenType == type)
        {
            return true;
        }

        shape.Problem(path, description);
        reader.Skip();
        return false;
    }

    private static bool Named(ref Utf8JsonReader reader, ReadOnlySpan<byte> camel, ReadOnlySpan<byte> snake, out string name)
    {
        if (reader.ValueTextEquals(camel))
        {
            name = Encoding.UTF8.GetString(camel);
            return true;
        }

        if (reader.ValueTextEquals(snake))
        {
            name = Encoding.UTF8.GetString(snake);
            return true;
        }

        name = string.Empty;
        return false;
    }

    /// <summary>Google's parser and ours could pick different copies of a repeated field: refuse the ambiguity.</summary>
    private static void Once(ref bool seen, string path, Builder shape)
    {
        if (seen)
        {
            shape.Problem(path, "appears more than once (in either spelling)");
        }

        seen = true;
    }

    private sealed class Builder
    {
        private readonly List<FieldViolation> _problems = [];

        public int? ContentsCount { get; set; }
        public List<ShapeField<int?>> Parts { get; } = [];
        public int TextParts { get; set; }
        public List<InlineImage> InlineImages { get; } = [];
        public ShapeField<IReadOnlyList<string>>? ResponseModalities { get; set; }
        public ShapeField<string>? AspectRatio { get; set; }
        public ShapeField<string>? ImageSize { get; set; }
        public ShapeField<long>? CandidateCount { get; set; }
        public ShapeField<long>? MaxOutputTokens { get; set; }
        public BodyRange? AspectRatioToken { get; set; }
        public BodyRange? ImageSizeProperty { get; set; }

        public void Problem(string path, string description) => _problems.Add(new FieldViolation(path, description));

        public RequestShape Build() => new()
        {
            ReadProblems = _problems,
            ContentsCount = ContentsCount,
            Parts = Parts,
            TextParts = TextParts,
            InlineImages = InlineImages,
            ResponseModalities = ResponseModalities,
            AspectRatio = AspectRatio,
            ImageSize = ImageSize,
            CandidateCount = CandidateCount,
            MaxOutputTokens = MaxOutputTokens,
            AspectRatioToken = AspectRatioToken,
            ImageSizeProperty = ImageSizeProperty,
        };
    }
}

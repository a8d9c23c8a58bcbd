using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;

using Routescope.Gateway.Errors;
using Routescope.Gateway.Gemini;
using Routescope.Gateway.Inspection.Validation;

namespace Routescope.Gateway.Inspection.Reading;

/// <summary>
/// Reads a generateContent body in one pass with <see cref="Utf8JsonReader"/> over the buffered segments into a
/// <see cref="RequestShape"/>. Only the inspected fields are materialised, and only when short; everything else,
/// above all inline image data, is skipped or scanned in place. Both proto3 JSON spellings are understood.
/// </summary>
/// <remarks>
/// Checks that need no catalog (strict JSON, UTF-8 in every string and field name, types, duplicates, base64, image
/// signatures) are made here, for every request whatever its model, and memory stays bounded whatever the body holds:
/// paths are formatted only for reported problems, problems beyond <see cref="BoundedViolations.MaxReported"/> are
/// counted, and only the first inline images are kept.
/// </remarks>
internal static class GenerateRequestReader
{
    /// <summary>Longest string value materialised (MIME types, ratios, sizes, modalities are far shorter).</summary>
    private const int MaxInspectedString = 100;

    private const string LongerThanInspected = "is longer than 100 characters";

    /// <summary>Most <c>responseModalities</c> entries kept (Gemini knows four modalities).</summary>
    private const int MaxModalities = 16;

    /// <summary>Longest string read as an int64 (19 digits and a sign, with room for leading zeros).</summary>
    private const int MaxIntegerString = 32;

    /// <param name="body">The buffered request body.</param>
    /// <param name="maxDepth">The deepest JSON nesting accepted.</param>
    /// <param name="keptImages">
    /// How many inline images to keep in <see cref="RequestShape.InlineImages"/>: at least the most any model the
    /// shape is validated against accepts, so a request within that model's count has all its images judged.
    /// </param>
    public static RequestShape Read(in ReadOnlySequence<byte> body, int maxDepth, int keptImages)
    {
        var shape = new Builder(body, keptImages);
        // Strict JSON, as Google's parser may not be lenient the same way: no comments, no trailing commas (the
        // reader's defaults), no byte order mark (the reader refuses it as an invalid start of a value).
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = maxDepth, CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false });
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
                Once(ref contents, FieldPath.Of("contents"), shape);
                reader.Read();
                ReadContents(ref reader, shape);
            }
            else if (Named(ref reader, "generationConfig"u8, "generation_config"u8, "generationConfig", "generation_config", out var name))
            {
                Once(ref generationConfig, FieldPath.Of(name), shape);
                reader.Read();
                ReadGenerationConfig(ref reader, shape, name);
            }
            else
            {
                SkipProperty(ref reader, shape, FieldPath.NameAt(reader.TokenStartIndex));
            }
        }
    }

    private static void ReadContents(ref Utf8JsonReader reader, Builder shape)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        if (!Expect(ref reader, JsonTokenType.StartArray, FieldPath.Of("contents"), "must be an array of contents", shape))
        {
            return;
        }

        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var content = index++;
            if (Expect(ref reader, JsonTokenType.StartObject, FieldPath.Content(content), "must be an object with parts", shape))
            {
                ReadContent(ref reader, shape, content);
            }
        }

        shape.ContentsCount = index;
    }

    private static void ReadContent(ref Utf8JsonReader reader, Builder shape, int content)
    {
        var parts = false;
        int? count = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("parts"u8))
            {
                Once(ref parts, FieldPath.Parts(content), shape);
                reader.Read();
                count = ReadParts(ref reader, shape, content);
            }
            else
            {
                SkipProperty(ref reader, shape, FieldPath.Content(content));
            }
        }

        switch (count)
        {
            case null:
                shape.Problem(FieldPath.Parts(content), "required: every content needs parts");
                break;
            case 0:
                shape.Problem(FieldPath.Parts(content), "must not be empty");
                break;
        }
    }

    private static int? ReadParts(ref Utf8JsonReader reader, Builder shape, int content)
    {
        if (reader.TokenType == JsonTokenType.Null || !Expect(ref reader, JsonTokenType.StartArray, FieldPath.Parts(content), "must be an array of parts", shape))
        {
            return null;
        }

        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var part = FieldPath.Part(content, index++);
            if (Expect(ref reader, JsonTokenType.StartObject, part, "must be an object", shape))
            {
                ReadPart(ref reader, shape, part);
            }
        }

        return index;
    }

    private static void ReadPart(ref Utf8JsonReader reader, Builder shape, FieldPath path)
    {
        bool text = false, inline = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("text"u8))
            {
                var at = path.Member("text");
                Once(ref text, at, shape);
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    if (CheckUtf8(ref reader, shape, at))
                    {
                        shape.TextParts += reader.HasValueSequence ? (reader.ValueSequence.IsEmpty ? 0 : 1) : (reader.ValueSpan.IsEmpty ? 0 : 1);
                    }
                }
                else if (reader.TokenType != JsonTokenType.Null)
                {
                    shape.Problem(at, "must be a string");
                    Skip(ref reader, shape, at);
                }
            }
            else if (Named(ref reader, "inlineData"u8, "inline_data"u8, "inlineData", "inline_data", out var name))
            {
                Once(ref inline, path.Member(name), shape);
                reader.Read();
                ReadInlineData(ref reader, shape, path.Member(name), snake: name == "inline_data");
            }
            else
            {
                SkipProperty(ref reader, shape, path);
            }
        }
    }

    private static void ReadInlineData(ref Utf8JsonReader reader, Builder shape, FieldPath path, bool snake)
    {
        if (reader.TokenType == JsonTokenType.Null || !Expect(ref reader, JsonTokenType.StartObject, path, "must be an object with mimeType and data", shape))
        {
            return;
        }

        var mimePath = path.Member(snake ? "mime_type" : "mimeType");
        var dataPath = path.Member("data");
        bool mimeSeen = false, dataSeen = false;
        string? mime = null;
        var scan = default(Base64Scanner);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (Named(ref reader, "mimeType"u8, "mime_type"u8, "mimeType", "mime_type", out var mimeName))
            {
                // The path names the spelling the client used for this very field.
                mimePath = path.Member(mimeName);
                Once(ref mimeSeen, mimePath, shape);
                reader.Read();
                mime = ReadShortString(ref reader, shape, mimePath) ?? mime;
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                Once(ref dataSeen, dataPath, shape);
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    shape.Problem(dataPath, "must be a base64 string");
                    Skip(ref reader, shape, dataPath);
                    continue;
                }

                // No UTF-8 check needed: the scanner accepts nothing but ASCII base64 (escapes included).
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
                SkipProperty(ref reader, shape, path);
            }
        }

        if (!mimeSeen)
        {
            shape.Problem(mimePath, "required");
        }

        if (!dataSeen)
        {
            shape.Problem(dataPath, "required");
        }

        var (_, decodedLength, valid) = scan.Verdict();
        Span<byte> head = stackalloc byte[Base64Scanner.MaxHeadBytes];
        head = head[..(valid ? scan.DecodeHead(head) : 0)];
        if (dataSeen && !valid)
        {
            shape.Problem(dataPath, "is not valid base64");
        }
        else if (valid && decodedLength > 0 && mime is not null && ImageSignatures.Contradicts(mime, head))
        {
            // Checked for every model, in or outside the catalog: a lying MIME type is never the client's to send.
            if (shape.HasRoom)
            {
                shape.Problem(dataPath, ImageSignatures.Contradiction(mime, head));
            }
            else
            {
                shape.Omit();
            }
        }

        shape.AddImage(path, mime, mimePath, dataSeen ? dataPath : null, decodedLength, valid, head);
    }

    private static void ReadGenerationConfig(ref Utf8JsonReader reader, Builder shape, string path)
    {
        if (reader.TokenType == JsonTokenType.Null || !Expect(ref reader, JsonTokenType.StartObject, FieldPath.Of(path), "must be an object", shape))
        {
            return;
        }

        bool modalities = false, candidates = false, imageConfig = false, maxOutput = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (Named(ref reader, "responseModalities"u8, "response_modalities"u8, "responseModalities", "response_modalities", out var name))
            {
                var at = path + "." + name;
                Once(ref modalities, FieldPath.Of(at), shape);
                reader.Read();
                shape.ResponseModalities = ReadStringArray(ref reader, shape, at) is { } values ? new ShapeField<IReadOnlyList<string>>(values, at) : null;
            }
            else if (Named(ref reader, "candidateCount"u8, "candidate_count"u8, "candidateCount", "candidate_count", out name))
            {
                var at = path + "." + name;
                Once(ref candidates, FieldPath.Of(at), shape);
                reader.Read();
                // A number only: 1e400 or 1.5 fails TryGetInt64 and is refused, as is "2" (not an integer here).
                if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var count))
                {
                    shape.CandidateCount = new ShapeField<long>(count, at);
                }
                else if (reader.TokenType != JsonTokenType.Null)
                {
                    shape.Problem(FieldPath.Of(at), "must be an integer");
                    Skip(ref reader, shape, FieldPath.Of(at));
                }
            }
            else if (Named(ref reader, "maxOutputTokens"u8, "max_output_tokens"u8, "maxOutputTokens", "max_output_tokens", out name))
            {
                // The cap of what the upstream may bill as output: budgets reserve against it.
                var at = path + "." + name;
                Once(ref maxOutput, FieldPath.Of(at), shape);
                reader.Read();
                if (ReadInteger(ref reader, shape, at) is { } tokens)
                {
                    shape.MaxOutputTokens = new ShapeField<long>(tokens, at);
                }
            }
            else if (Named(ref reader, "imageConfig"u8, "image_config"u8, "imageConfig", "image_config", out name))
            {
                var at = path + "." + name;
                Once(ref imageConfig, FieldPath.Of(at), shape);
                reader.Read();
                ReadImageConfig(ref reader, shape, at);
            }
            else
            {
                SkipProperty(ref reader, shape, FieldPath.Of(path));
            }
        }
    }

    /// <summary>Proto3 JSON takes an int32 as a number or as a string of one, and the upstream does too.</summary>
    private static long? ReadInteger(ref Utf8JsonReader reader, Builder shape, string path)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var number))
        {
            return number;
        }

        // The length is checked before the string is made: a string of a million digits is refused unread.
        if (reader.TokenType == JsonTokenType.String
            && (reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length) <= MaxIntegerString
            && CheckUtf8(ref reader, shape, FieldPath.Of(path))
            && long.TryParse(reader.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number))
        {
            return number;
        }

        shape.Problem(FieldPath.Of(path), "must be an integer");
        Skip(ref reader, shape, FieldPath.Of(path));
        return null;
    }

    private static void ReadImageConfig(ref Utf8JsonReader reader, Builder shape, string path)
    {
        if (reader.TokenType == JsonTokenType.Null || !Expect(ref reader, JsonTokenType.StartObject, FieldPath.Of(path), "must be an object", shape))
        {
            return;
        }

        bool ratio = false, size = false;
        // Property spans (name start, value end) let fallback cut imageSize out with exactly one comma: the first two
        // properties, and the ones around imageSize, are all that can be needed (however many properties there are).
        BodyRange first = default, second = default, previous = default, beforeSize = default, sizeProperty = default;
        int count = 0, sizeIndex = -1;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var nameStart = reader.TokenStartIndex;
            var isSize = false;
            if (Named(ref reader, "aspectRatio"u8, "aspect_ratio"u8, "aspectRatio", "aspect_ratio", out var name))
            {
                var at = path + "." + name;
                Once(ref ratio, FieldPath.Of(at), shape);
                reader.Read();
                var tokenStart = reader.TokenStartIndex;
                shape.AspectRatio = ReadShortString(ref reader, shape, FieldPath.Of(at)) is { } value ? new ShapeField<string>(value, at) : null;
                shape.AspectRatioToken = shape.AspectRatio is null ? null : new BodyRange(tokenStart, reader.BytesConsumed);
            }
            else if (Named(ref reader, "imageSize"u8, "image_size"u8, "imageSize", "image_size", out name))
            {
                var at = path + "." + name;
                Once(ref size, FieldPath.Of(at), shape);
                reader.Read();
                shape.ImageSize = ReadShortString(ref reader, shape, FieldPath.Of(at)) is { } value ? new ShapeField<string>(value, at) : null;
                isSize = true;
            }
            else
            {
                SkipProperty(ref reader, shape, FieldPath.Of(path));
            }

            var property = new BodyRange(nameStart, reader.BytesConsumed);
            (first, second) = count switch
            {
                0 => (property, second),
                1 => (first, property),
                _ => (first, second),
            };
            if (isSize)
            {
                (sizeIndex, sizeProperty, beforeSize) = (count, property, previous);
            }

            previous = property;
            count++;
        }

        if (sizeIndex >= 0 && shape.ImageSize is not null)
        {
            shape.ImageSizeProperty = sizeIndex > 0
                ? new BodyRange(beforeSize.End, sizeProperty.End)
                : count > 1
                    ? new BodyRange(first.Start, second.Start)
                    : sizeProperty;
        }
    }

    private static List<string>? ReadStringArray(ref Utf8JsonReader reader, Builder shape, string path)
    {
        if (reader.TokenType == JsonTokenType.Null || !Expect(ref reader, JsonTokenType.StartArray, FieldPath.Of(path), "must be an array of strings", shape))
        {
            return null;
        }

        var values = new List<string>();
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (index == MaxModalities)
            {
                shape.Problem(FieldPath.Of(path), "has more than 16 entries");
                Skip(ref reader, shape, FieldPath.Of(path));
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    Skip(ref reader, shape, FieldPath.Of(path));
                }

                break;
            }

            if (ReadShortString(ref reader, shape, FieldPath.Of(string.Create(CultureInfo.InvariantCulture, $"{path}[{index++}]"))) is { } value)
            {
                values.Add(value);
            }
        }

        return values;
    }

    /// <summary>A short string value; null (with a problem recorded) for other types, overlong values or invalid UTF-8.</summary>
    private static string? ReadShortString(ref Utf8JsonReader reader, Builder shape, FieldPath path)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            shape.Problem(path, "must be a string");
            Skip(ref reader, shape, path);
            return null;
        }

        var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length > MaxInspectedString)
        {
            shape.Problem(path, LongerThanInspected);
            CheckUtf8(ref reader, shape, path);
            return null;
        }

        return CheckUtf8(ref reader, shape, path) ? reader.GetString() : null;
    }

    private static bool Expect(ref Utf8JsonReader reader, JsonTokenType type, FieldPath path, string description, Builder shape)
    {
        if (reader.TokenType == type)
        {
            return true;
        }

        shape.Problem(path, description);
        Skip(ref reader, shape, path);
        return false;
    }

    /// <summary>Skips a field nobody inspects, name and value, still holding both to UTF-8.</summary>
    private static void SkipProperty(ref Utf8JsonReader reader, Builder shape, FieldPath owner)
    {
        if (CheckUtf8(ref reader, shape, owner))
        {
            reader.Read();
            Skip(ref reader, shape, owner);
        }
        else
        {
            // One problem per field is enough; the rest of its value need not be looked at.
            reader.Read();
            reader.Skip();
        }
    }

    /// <summary>
    /// <see cref="Utf8JsonReader.Skip"/> for the current value, checking every string and field name inside it: what
    /// the gateway skips, the upstream still reads. Reports at most one problem, at <paramref name="owner"/>.
    /// </summary>
    private static void Skip(ref Utf8JsonReader reader, Builder shape, FieldPath owner)
    {
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                CheckUtf8(ref reader, shape, owner);
            }

            return;
        }

        var depth = reader.CurrentDepth;
        var clean = true;
        // Only the matching end token is back at the start's depth; after one bad string the rest is merely skipped.
        while (reader.Read() && reader.CurrentDepth > depth)
        {
            if (clean && reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
            {
                clean = CheckUtf8(ref reader, shape, owner);
            }
        }
    }

    /// <summary>Whether the current string or field name is valid UTF-8; records a problem at <paramref name="path"/> if not.</summary>
    private static bool CheckUtf8(ref Utf8JsonReader reader, Builder shape, FieldPath path)
    {
        if (reader.HasValueSequence ? Utf8Text.IsValid(reader.ValueSequence) : Utf8.IsValid(reader.ValueSpan))
        {
            return true;
        }

        if (shape.HasRoom)
        {
            shape.Problem(path, string.Create(CultureInfo.InvariantCulture,
                $"contains a {(reader.TokenType == JsonTokenType.PropertyName ? "field name" : "string")} that is not valid UTF-8 (at byte {reader.TokenStartIndex})"));
        }
        else
        {
            shape.Omit();
        }

        return false;
    }

    /// <summary>Whether the current field name is one of a field's two spellings; <paramref name="name"/> is the one used.</summary>
    private static bool Named(ref Utf8JsonReader reader, ReadOnlySpan<byte> camel, ReadOnlySpan<byte> snake, string camelName, string snakeName, out string name)
    {
        name = reader.ValueTextEquals(camel) ? camelName : reader.ValueTextEquals(snake) ? snakeName : string.Empty;
        return name.Length > 0;
    }

    /// <summary>Google's parser and ours could pick different copies of a repeated field: refuse the ambiguity.</summary>
    private static void Once(ref bool seen, FieldPath path, Builder shape)
    {
        if (seen)
        {
            shape.Problem(path, "appears more than once (in either spelling)");
        }

        seen = true;
    }

    private sealed class Builder(ReadOnlySequence<byte> body, int keptImages)
    {
        private readonly BoundedViolations _problems = new();
        private readonly List<InlineImage> _images = [];

        public int? ContentsCount { get; set; }
        public int TextParts { get; set; }
        public int InlineImageCount { get; private set; }
        public long InlineImageBytes { get; private set; }
        public ShapeField<IReadOnlyList<string>>? ResponseModalities { get; set; }
        public ShapeField<string>? AspectRatio { get; set; }
        public ShapeField<string>? ImageSize { get; set; }
        public ShapeField<long>? CandidateCount { get; set; }
        public ShapeField<long>? MaxOutputTokens { get; set; }
        public BodyRange? AspectRatioToken { get; set; }
        public BodyRange? ImageSizeProperty { get; set; }

        public bool HasRoom => _problems.HasRoom;

        /// <summary>Counts a problem that is not reported, without building its description.</summary>
        public void Omit() => _problems.Omit(1);

        /// <summary>Records a problem; the path is formatted only while there is room to report it.</summary>
        public void Problem(FieldPath path, string description)
        {
            if (_problems.HasRoom)
            {
                _problems.Add(path.NameToken is { } token ? NameAt(token) : path.ToString(), description);
            }
            else
            {
                _problems.Omit(1);
            }
        }

        /// <summary>The top-level field name at <paramref name="token"/>, when short and readable; else the whole body.</summary>
        private string NameAt(long token)
        {
            var reader = new Utf8JsonReader(body.Slice(token), isFinalBlock: false, state: default);
            try
            {
                return reader.Read() && reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped
                    && (reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length) <= MaxInspectedString
                    && (reader.HasValueSequence ? Utf8Text.IsValid(reader.ValueSequence) : Utf8.IsValid(reader.ValueSpan))
                    ? reader.GetString()!
                    : "$";
            }
            catch (JsonException)
            {
                return "$";
            }
        }

        public void AddImage(FieldPath path, string? mime, FieldPath mimePath, FieldPath? dataPath, long decodedLength, bool valid, ReadOnlySpan<byte> head)
        {
            InlineImageCount++;
            InlineImageBytes += decodedLength;
            if (_images.Count >= keptImages)
            {
                return;
            }

            _images.Add(new InlineImage
            {
                Path = path.ToString(),
                MimeType = mime is null ? null : new ShapeField<string>(mime, mimePath.ToString()),
                DataPath = dataPath?.ToString(),
                DecodedLength = decodedLength,
                Base64Valid = valid,
                Head = head.ToArray(),
            });
        }

        public RequestShape Build() => new()
        {
            ReadProblems = _problems.Reported,
            OmittedReadProblems = _problems.Omitted,
            ContentsCount = ContentsCount,
            TextParts = TextParts,
            InlineImages = _images,
            InlineImageCount = InlineImageCount,
            InlineImageBytes = InlineImageBytes,
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

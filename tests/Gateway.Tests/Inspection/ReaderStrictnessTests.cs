using System.Buffers;
using System.Text;

using Routescope.Gateway.Gemini;
using Routescope.Gateway.Inspection.Reading;

using static Routescope.Gateway.Tests.Infrastructure.RequestBodies;

namespace Routescope.Gateway.Tests.Inspection;

/// <summary>
/// Issue 18, defect 8 and R6: what the reader refuses needs no catalog, so it holds for every model: invalid UTF-8 in
/// any string or field name, wherever the body is split into segments, and image bytes that contradict their type.
/// </summary>
public sealed class ReaderStrictnessTests
{
    public static TheoryData<string, string> InvalidSequences => new()
    {
        { "FFFE", "two bytes that never occur in UTF-8" },
        { "C0AF", "an overlong '/'" },
        { "E080AF", "an overlong '/' in three bytes" },
        { "EDA080", "an encoded high surrogate" },
        { "EDBFBF", "an encoded low surrogate" },
        { "F4908080", "a code point above U+10FFFF" },
        { "80", "a lone continuation byte" },
        { "E282", "a truncated three-byte character" },
        { "F8888080", "a five-byte form" },
    };

    public static TheoryData<string, string, string> Places => new()
    {
        { "text", """{"contents":[{"parts":[{"text":"aXb"}]}]}""", "contents[0].parts[0].text" },
        { "a field nobody inspects", """{"contents":[{"parts":[{"text":"a"}]}],"systemInstruction":{"parts":[{"text":"X"}]}}""", "systemInstruction" },
        { "a top-level string", """{"contents":[{"parts":[{"text":"a"}]}],"cachedContent":"X"}""", "cachedContent" },
        { "a field name at the top", """{"contents":[{"parts":[{"text":"a"}]}],"X":1}""", "$" },
        { "a field name in a part", """{"contents":[{"parts":[{"text":"a","X":1}]}]}""", "contents[0].parts[0]" },
        { "another kind of part", """{"contents":[{"role":"user","parts":[{"text":"a"},{"fileData":{"mimeType":"image/png","fileUri":"gs://X"}}]}]}""", "contents[0].parts[1]" },
        { "a content's role", """{"contents":[{"role":"X","parts":[{"text":"a"}]}]}""", "contents[0]" },
        { "a MIME type", """{"contents":[{"parts":[{"text":"a"},{"inlineData":{"mimeType":"image/X","data":"iVBORw0KGgo="}}]}]}""", "contents[0].parts[1].inlineData.mimeType" },
        { "inline data", """{"contents":[{"parts":[{"text":"a"},{"inlineData":{"mimeType":"image/png","data":"iVBORX0KGgo="}}]}]}""", "contents[0].parts[1].inlineData.data" },
        { "generationConfig", """{"contents":[{"parts":[{"text":"a"}]}],"generationConfig":{"stopSequences":["X"]}}""", "generationConfig" },
        { "an aspect ratio", """{"contents":[{"parts":[{"text":"a"}]}],"generationConfig":{"imageConfig":{"aspectRatio":"1:X"}}}""", "generationConfig.imageConfig.aspectRatio" },
        { "an imageConfig field nobody inspects", """{"contents":[{"parts":[{"text":"a"}]}],"generationConfig":{"imageConfig":{"personGeneration":"X"}}}""", "generationConfig.imageConfig" },
        { "a response modality", """{"contents":[{"parts":[{"text":"a"}]}],"generationConfig":{"responseModalities":["X"]}}""", "generationConfig.responseModalities[0]" },
        { "a string maxOutputTokens", """{"contents":[{"parts":[{"text":"a"}]}],"generationConfig":{"maxOutputTokens":"1X"}}""", "generationConfig.maxOutputTokens" },
    };

    [Theory]
    [MemberData(nameof(Places))]
    public void Invalid_UTF8_is_a_problem_at_the_field_wherever_it_is(string place, string template, string field)
    {
        foreach (var sequence in InvalidSequences.Select(row => (string)row[0]))
        {
            var body = Place(template, Convert.FromHexString(sequence));
            foreach (var segment in new[] { body.Length, 1, 2, 3, 5 })
            {
                var shape = Read(GenerateRequestReaderTests.Segmented(body, segment));

                Assert.True(shape.ReadProblems.Any(problem => problem.Field == field),
                    $"{sequence} in {place}, segments of {segment}: {string.Join("; ", shape.ReadProblems)}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Places))]
    public void Valid_multibyte_UTF8_in_the_same_places_is_no_problem(string place, string template, string field)
    {
        // Characters of two, three and four bytes, split across segments at every offset.
        var body = Place(template, Encoding.UTF8.GetBytes("é東😀"));
        foreach (var segment in new[] { body.Length, 1, 2, 3, 5 })
        {
            var shape = Read(GenerateRequestReaderTests.Segmented(body, segment));

            Assert.False(shape.ReadProblems.Any(problem => problem.Field == field && problem.Description.Contains("UTF-8", StringComparison.Ordinal)),
                $"{place}, segments of {segment}: {string.Join("; ", shape.ReadProblems)}");
        }
    }

    [Theory]
    [InlineData("image/png", "jpeg", "the data is not image/png (it looks like image/jpeg)")]
    [InlineData("IMAGE/PNG", "jpeg", "the data is not IMAGE/PNG (it looks like image/jpeg)")]
    [InlineData("image/jpeg; q=1", "png", "the data is not image/jpeg; q=1 (it looks like image/png)")]
    [InlineData("image/webp", "garbage", "the data is not image/webp (its first bytes match no supported image format)")]
    public void A_MIME_type_the_bytes_contradict_is_a_problem_without_any_catalog(string declared, string actual, string description)
    {
        var data = actual switch
        {
            "jpeg" => Jpeg,
            "png" => Png,
            _ => "not an image at all"u8.ToArray(),
        };
        var shape = Read(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(Generate(images: new Image(declared, WithSignature(data, 48))))));

        var problem = Assert.Single(shape.ReadProblems);
        Assert.Equal("contents[0].parts[1].inlineData.data", problem.Field);
        Assert.Equal(description, problem.Description);
    }

    [Theory]
    [InlineData("image/png", "png")]
    [InlineData("image/heic", "heif")]
    [InlineData("image/gif", "png")]
    [InlineData("application/pdf", "jpeg")]
    public void Matching_or_uncheckable_types_are_no_problem_for_the_reader(string declared, string actual)
    {
        var data = actual switch
        {
            "jpeg" => Jpeg,
            "heif" => Heif,
            _ => Png,
        };
        var shape = Read(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(Generate(images: new Image(declared, WithSignature(data, 48))))));

        Assert.Empty(shape.ReadProblems);
    }

    [Theory]
    [InlineData("EFBBBF7B7D", "a byte order mark")]
    [InlineData("7B2F2F780A7D", "a line comment")]
    [InlineData("7B2261223A5B312C5D7D", "a trailing comma")]
    public void Lenient_JSON_is_a_fatal_problem(string hex, string kind)
    {
        var shape = Read(new ReadOnlySequence<byte>(Convert.FromHexString(hex)));

        Assert.True(shape.ReadProblems is [{ Field: "$" }], kind);
    }

    private static byte[] Place(string template, byte[] raw)
    {
        var at = template.IndexOf('X', StringComparison.Ordinal);
        return [.. Encoding.UTF8.GetBytes(template[..at]), .. raw, .. Encoding.UTF8.GetBytes(template[(at + 1)..])];
    }

    private static RequestShape Read(ReadOnlySequence<byte> body) => GenerateRequestReader.Read(body, 32, GenerateRequestReaderTests.KeptImages);
}

using System.Buffers;
using System.Text;

using Routescope.Gateway.Gemini;
using Routescope.Gateway.Inspection.Reading;

using static Routescope.Gateway.Tests.Infrastructure.RequestBodies;

namespace Routescope.Gateway.Tests.Inspection;

public sealed class GenerateRequestReaderTests
{
    /// <summary>The most inline images a model of the shipped catalog accepts, as the middleware passes it.</summary>
    internal const int KeptImages = 14;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Both_spellings_yield_the_same_shape_with_the_paths_as_written(bool snake)
    {
        var image = WithSignature(Png, 1000);
        var body = Generate(snake, aspectRatio: "16:9", imageSize: "2K", modalities: ["TEXT", "IMAGE"], candidateCount: 1, images: new Image("image/png", image));

        var shape = Read(body);

        Assert.Empty(shape.ReadProblems);
        Assert.Equal(1, shape.ContentsCount);
        Assert.Equal(1, shape.TextParts);
        Assert.Equal("16:9", shape.AspectRatio!.Value);
        Assert.Equal(snake ? "generation_config.image_config.aspect_ratio" : "generationConfig.imageConfig.aspectRatio", shape.AspectRatio.Path);
        Assert.Equal("2K", shape.ImageSize!.Value);
        Assert.Equal(["TEXT", "IMAGE"], shape.ResponseModalities!.Value);
        Assert.Equal(1, shape.CandidateCount!.Value);
        var inline = Assert.Single(shape.InlineImages);
        Assert.Equal("image/png", inline.MimeType!.Value);
        Assert.Equal(snake ? "contents[0].parts[1].inline_data" : "contents[0].parts[1].inlineData", inline.Path);
        Assert.Equal(image.Length, inline.DecodedLength);
        Assert.True(inline.Base64Valid);
        Assert.Equal(image[..12], inline.Head);
    }

    [Fact]
    public void A_body_split_across_many_segments_reads_the_same_as_one_array()
    {
        var body = Encoding.UTF8.GetBytes(Generate(aspectRatio: "9:16", images: [new Image("image/jpeg", WithSignature(Jpeg, 50_000)), new Image("image/png", WithSignature(Png, 70_000))]));
        var whole = GenerateRequestReader.Read(new ReadOnlySequence<byte>(body), 32, KeptImages);

        foreach (var size in new[] { 1, 7, 4096, 65536 })
        {
            var split = GenerateRequestReader.Read(Segmented(body, size), 32, KeptImages);

            Assert.Empty(split.ReadProblems);
            Assert.Equal(whole.AspectRatio, split.AspectRatio);
            Assert.Equal(whole.InlineImages.Select(i => (i.DecodedLength, i.Base64Valid, Convert.ToHexString(i.Head))), split.InlineImages.Select(i => (i.DecodedLength, i.Base64Valid, Convert.ToHexString(i.Head))));
        }
    }

    [Fact]
    public void Escaped_base64_as_some_encoders_write_it_is_understood()
    {
        var data = Convert.ToBase64String(WithSignature(Png, 300)).Replace("/", "\\/", StringComparison.Ordinal);
        var shape = Read($$$"""{"contents":[{"parts":[{"text":"x"},{"inlineData":{"mimeType":"image/png","data":"{{{data}}}"}}]}]}""");

        Assert.Empty(shape.ReadProblems);
        Assert.Equal(300, Assert.Single(shape.InlineImages).DecodedLength);
    }

    [Fact]
    public void Unknown_fields_and_other_part_kinds_are_skipped()
    {
        var shape = Read("""
            {"contents":[{"role":"user","parts":[{"text":"x"},{"fileData":{"mimeType":"image/png","fileUri":"gs://b/o"}},{"thought":true}]}],
             "systemInstruction":{"parts":[{"text":"be brief"}]},"safetySettings":[{"category":"HARM_CATEGORY_HATE_SPEECH","threshold":"BLOCK_NONE"}],
             "tools":[],"generationConfig":{"temperature":0.7,"topK":40,"imageConfig":{"aspectRatio":"1:1","personGeneration":"ALLOW_ALL"}}}
            """);

        Assert.Empty(shape.ReadProblems);
        Assert.Equal(1, shape.TextParts);
        Assert.Empty(shape.InlineImages);
        Assert.Equal("1:1", shape.AspectRatio!.Value);
    }

    [Fact]
    public void Nulls_count_as_absent()
    {
        var shape = Read("""{"contents":[{"parts":[{"text":"x"}]}],"generationConfig":{"imageConfig":{"aspectRatio":null,"imageSize":null},"candidateCount":null,"responseModalities":null}}""");

        Assert.Empty(shape.ReadProblems);
        Assert.Null(shape.AspectRatio);
        Assert.Null(shape.ImageSize);
        Assert.Null(shape.CandidateCount);
        Assert.Null(shape.ResponseModalities);
    }

    [Fact]
    public void Overlong_inspected_strings_are_refused_without_being_read()
    {
        var ratio = new string('9', 5000);
        var shape = Read("{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}],\"generationConfig\":{\"imageConfig\":{\"aspectRatio\":\"" + ratio + "\"}}}");

        Assert.Equal("generationConfig.imageConfig.aspectRatio", Assert.Single(shape.ReadProblems).Field);
        Assert.Null(shape.AspectRatio);
    }

    [Fact]
    public void Depth_beyond_the_limit_is_a_problem_not_an_exception()
    {
        var deep = string.Concat(Enumerable.Repeat("[", 20)) + string.Concat(Enumerable.Repeat("]", 20));
        var shape = GenerateRequestReader.Read(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes("{\"tools\":" + deep + "}")), maxDepth: 16, keptImages: KeptImages);

        Assert.Contains("depth", Assert.Single(shape.ReadProblems).Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_is_a_problem_not_an_exception()
    {
        byte[] body = [.. "{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}],\"generationConfig\":{\"imageConfig\":{\"aspectRatio\":\""u8, 0xC3, 0x28, .. "\"}}}"u8];
        var shape = GenerateRequestReader.Read(new ReadOnlySequence<byte>(body), 32, KeptImages);

        Assert.NotEmpty(shape.ReadProblems);
    }

    private static RequestShape Read(string body) => GenerateRequestReader.Read(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(body)), 32, KeptImages);

    internal static ReadOnlySequence<byte> Segmented(byte[] data, int size)
    {
        TestSegment? first = null, last = null;
        for (var offset = 0; offset < data.Length; offset += size)
        {
            var segment = new TestSegment(data.AsMemory(offset, Math.Min(size, data.Length - offset)), last);
            first ??= segment;
            last = segment;
        }

        return first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
    }

    private sealed class TestSegment : ReadOnlySequenceSegment<byte>
    {
        public TestSegment(ReadOnlyMemory<byte> memory, TestSegment? previous)
        {
            Memory = memory;
            if (previous is not null)
            {
                RunningIndex = previous.RunningIndex + previous.Memory.Length;
                previous.Next = this;
            }
        }
    }
}

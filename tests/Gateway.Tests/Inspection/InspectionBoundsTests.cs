using System.Buffers;
using System.Text;

using FluentValidation;

using Microsoft.AspNetCore.Http;

using Routescope.Gateway.Catalog;
using Routescope.Gateway.Errors;
using Routescope.Gateway.Gemini;
using Routescope.Gateway.Inspection.Reading;
using Routescope.Gateway.Inspection.Validation;

using static Routescope.Gateway.Tests.Infrastructure.RequestBodies;

namespace Routescope.Gateway.Tests.Inspection;

/// <summary>
/// Issue 18, defect 3: inspecting a hostile body costs memory bounded by constants, not by the body: problems beyond
/// the first 20 are counted, paths are formatted only for reported problems, only the first images are kept.
/// </summary>
public sealed class InspectionBoundsTests
{
    private static readonly ModelOptions FlashImage = Model(maxTotalImageBytes: 20_971_520);

    private static ModelOptions Model(long maxTotalImageBytes) => new()
    {
        GeneratesImages = true,
        AspectRatios = ["1:1", "16:9"],
        ResponseModalities = ["TEXT", "IMAGE"],
        RequiredModality = "IMAGE",
        InlineMimeTypes = ["image/png", "image/jpeg"],
        MaxInlineImages = 3,
        MaxImageBytes = 20_971_520,
        MaxTotalImageBytes = maxTotalImageBytes,
    };

    [Fact]
    public void Problems_beyond_twenty_are_counted_not_kept()
    {
        var shape = Read(ViolationCapTests.EmptyInlineParts(10_000));

        Assert.Equal(BoundedViolations.MaxReported, shape.ReadProblems.Count);
        Assert.Equal((2 * 10_000) - BoundedViolations.MaxReported, shape.OmittedReadProblems);
        Assert.Equal(["contents[0].parts[0].inline_data.mime_type", "contents[0].parts[0].inline_data.data"], shape.ReadProblems.Take(2).Select(p => p.Field));
    }

    [Fact]
    public void Only_the_first_images_are_kept_and_all_are_counted()
    {
        var images = Enumerable.Range(0, 100).Select(i => new Image("image/png", WithSignature(Png, 100 + i))).ToArray();
        var shape = Read(Encoding.UTF8.GetBytes(Generate(images: images)), keptImages: 5);

        Assert.Empty(shape.ReadProblems);
        Assert.Equal(5, shape.InlineImages.Count);
        Assert.Equal(100, shape.InlineImageCount);
        Assert.Equal(images.Sum(image => (long)image.Data.Length), shape.InlineImageBytes);
    }

    [Fact]
    public void A_catalog_model_still_judges_the_count_and_total_of_images_it_did_not_keep()
    {
        var images = Enumerable.Range(0, 40).Select(_ => new Image("image/png", WithSignature(Png, 1000))).ToArray();
        var result = new GenerateRequestValidator().Validate(Subject(Read(Encoding.UTF8.GetBytes(Generate(images: images)), keptImages: 3), Model(maxTotalImageBytes: 10_000)));

        Assert.Contains(result.Errors, error => error.ErrorMessage.Contains("40 inline images", StringComparison.Ordinal));
        Assert.Contains(result.Errors, error => error.ErrorMessage.Contains("total 40000 bytes", StringComparison.Ordinal));
    }

    [Fact]
    public void More_than_sixteen_response_modalities_are_refused_without_being_kept()
    {
        var modalities = string.Join(",", Enumerable.Repeat("\"IMAGE\"", 10_000));
        var shape = Read(Encoding.UTF8.GetBytes("{\"contents\":[{\"parts\":[{\"text\":\"a\"}]}],\"generationConfig\":{\"responseModalities\":[" + modalities + "]}}"));

        Assert.Equal("generationConfig.responseModalities", Assert.Single(shape.ReadProblems).Field);
        Assert.Equal(16, shape.ResponseModalities!.Value.Count);
    }

    [Fact]
    public void Validation_reports_twenty_violations_and_counts_the_rest()
    {
        var violations = new BoundedViolations();
        var context = new ValidationContext<InspectionSubject>(Subject(Read(ViolationCapTests.EmptyInlineParts(5_000)), FlashImage));
        context.RootContextData[GenerateRequestValidator.ViolationsKey] = violations;

        var result = new GenerateRequestValidator().Validate(context);

        Assert.False(result.IsValid);
        Assert.Equal(20, result.Errors.Count);
        Assert.Equal(20, violations.Reported.Count);
        // 2 per part from the reader, the missing prompt and the image count from the model's rules.
        Assert.Equal((2 * 5_000) + 2 - 20, violations.Omitted);
    }

    [Theory]
    [InlineData(100_000)] // 1.9 MB
    [InlineData(400_000)] // 7.6 MB
    public async Task Reading_validating_and_answering_a_body_of_endless_violations_allocates_a_bounded_amount(int parts)
    {
        var validator = new GenerateRequestValidator();
        var body = ViolationCapTests.EmptyInlineParts(parts);
        await InspectAndAnswerAsync(validator, ViolationCapTests.EmptyInlineParts(100));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var answer = await InspectAndAnswerAsync(validator, body);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Before the cap this was hundreds of MB (a violation, two paths and an image record per part); now it is
        // the validator's and the error's fixed cost, the same for 1.9 MB as for 7.6 MB.
        Assert.True(allocated < 256 * 1024, $"{allocated} bytes allocated for a {body.Length}-byte body");
        Assert.True(answer < 8 * 1024, $"a {answer}-byte error");
    }

    /// <summary>What the middleware does after buffering, answering into memory; returns the error's size.</summary>
    private static async Task<long> InspectAndAnswerAsync(GenerateRequestValidator validator, byte[] body)
    {
        var violations = new BoundedViolations();
        var context = new ValidationContext<InspectionSubject>(Subject(Read(body), FlashImage));
        context.RootContextData[GenerateRequestValidator.ViolationsKey] = violations;
        Assert.False(validator.Validate(context).IsValid);

        var http = new DefaultHttpContext();
        using var response = new MemoryStream();
        http.Response.Body = response;
        // A MemoryStream completes synchronously: everything runs, and is counted, on this thread.
        await GeminiError.WriteViolationsAsync(http, violations.Reported, violations.Omitted);
        return response.Length;
    }

    private static RequestShape Read(byte[] body, int keptImages = GenerateRequestReaderTests.KeptImages) =>
        GenerateRequestReader.Read(new ReadOnlySequence<byte>(body), 32, keptImages);

    private static InspectionSubject Subject(RequestShape shape, ModelOptions model) => new()
    {
        Model = "gemini-2.5-flash-image",
        Operation = GeminiOperation.GenerateContent,
        Shape = shape,
        Capabilities = model,
    };
}

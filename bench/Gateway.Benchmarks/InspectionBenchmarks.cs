using System.Buffers;

using BenchmarkDotNet.Attributes;

using Routescope.Gateway.Catalog;
using Routescope.Gateway.Gemini;
using Routescope.Gateway.Inspection;
using Routescope.Gateway.Inspection.Buffering;
using Routescope.Gateway.Inspection.Reading;
using Routescope.Gateway.Inspection.Validation;

namespace Routescope.Gateway.Benchmarks;

/// <summary>
/// Request inspection as <see cref="RequestInspectionMiddleware"/> runs it: buffering the body, reading its shape and
/// validating it against the model catalog. The 20 MB case is a gemini-2.5-flash-image edit with a 15 MB inline PNG.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InspectionConfig))]
public class InspectionBenchmarks : IDisposable
{
    // Limits:MaxJsonDepth, Limits:MaxRequestBytes and Limits:MemoryBufferBytes of appsettings.json.
    private const int MaxJsonDepth = 32;
    private const long MaxRequestBytes = 32 * 1024 * 1024;
    private const int MemoryBufferBytes = 1024 * 1024;

    // The most inline images a model of the shipped catalog accepts, which the middleware keeps per request.
    private const int KeptImages = 14;

    private byte[] _edit = [];
    private ReadOnlySequence<byte> _editSegmented;
    private ReadOnlySequence<byte> _editContiguous;
    private ReadOnlySequence<byte> _small;
    private MemoryStream _editStream = new();
    private GenerateRequestValidator _validator = null!;
    private ModelOptions _flashImage = null!;

    [GlobalSetup]
    public void Setup()
    {
        _edit = Payloads.CreateEditRequest();
        _editSegmented = Payloads.Segmented(_edit);
        _editContiguous = new ReadOnlySequence<byte>(_edit);
        _small = new ReadOnlySequence<byte>(Payloads.CreateSmallTextRequest());
        _editStream = new MemoryStream(_edit, writable: false);
        _validator = new GenerateRequestValidator();
        _flashImage = Payloads.FlashImage();

        // Measure the happy path only: every case must be read without problems and pass validation.
        Check(GenerateRequestReader.Read(_editSegmented, MaxJsonDepth, KeptImages), expectImage: true);
        Check(GenerateRequestReader.Read(_editContiguous, MaxJsonDepth, KeptImages), expectImage: true);
        Check(GenerateRequestReader.Read(_small, MaxJsonDepth, KeptImages), expectImage: false);
        if (!InspectAndValidate_20MB() || !BufferInspectValidate_20MB().GetAwaiter().GetResult())
        {
            throw new InvalidOperationException("the 20 MB edit request does not pass validation (or was not spilled to a file)");
        }

        if (_editSegmented.IsSingleSegment || _editSegmented.First.Length != Payloads.SegmentSize)
        {
            throw new InvalidOperationException("the in-memory body should be 64 KB segments");
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _editStream.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The body as RequestBody holds it below Limits:MemoryBufferBytes: 64 KB segments (320 of them here).</summary>
    [Benchmark]
    [ProcessedBytes(Payload.Edit20MB)]
    public object ReadShape_20MB_InMemory() => GenerateRequestReader.Read(_editSegmented, MaxJsonDepth, KeptImages);

    /// <summary>The body as one span, which is what the memory-mapped temp file of a spilled body is.</summary>
    [Benchmark]
    [ProcessedBytes(Payload.Edit20MB)]
    public object ReadShape_20MB_Contiguous() => GenerateRequestReader.Read(_editContiguous, MaxJsonDepth, KeptImages);

    /// <summary>What the middleware does once the body is buffered (a 20 MB body is file-backed, hence contiguous).</summary>
    [Benchmark]
    [ProcessedBytes(Payload.Edit20MB)]
    public bool InspectAndValidate_20MB() => Validate(GenerateRequestReader.Read(_editContiguous, MaxJsonDepth, KeptImages));

    /// <summary>Buffering alone: 1 MiB in pooled arrays, then the spill to a delete-on-close temp file and its memory map.</summary>
    [Benchmark]
    [ProcessedBytes(Payload.Edit20MB)]
    public async Task<long> BufferFromStream_20MB()
    {
        _editStream.Position = 0;
        await using var body = await RequestBody.ReadAsync(_editStream, MaxRequestBytes, MemoryBufferBytes, CancellationToken.None)
            ?? throw new InvalidOperationException("the body exceeded the limit");
        return body.Length;
    }

    /// <summary>The whole middleware step: buffer (spilling to the temp file), scan the memory map in place, validate.</summary>
    [Benchmark]
    [ProcessedBytes(Payload.Edit20MB)]
    public async Task<bool> BufferInspectValidate_20MB()
    {
        _editStream.Position = 0;
        await using var body = await RequestBody.ReadAsync(_editStream, MaxRequestBytes, MemoryBufferBytes, CancellationToken.None)
            ?? throw new InvalidOperationException("the body exceeded the limit");
        return body.IsFileBacked && Validate(GenerateRequestReader.Read(body.Sequence, MaxJsonDepth, KeptImages));
    }

    [Benchmark]
    [ProcessedBytes(Payload.SmallText)]
    public object ReadShape_SmallTextRequest() => GenerateRequestReader.Read(_small, MaxJsonDepth, KeptImages);

    private bool Validate(RequestShape shape)
    {
        var subject = new InspectionSubject
        {
            Model = "gemini-2.5-flash-image",
            Operation = GeminiOperation.GenerateContent,
            Shape = shape,
            Capabilities = _flashImage,
        };
        return _validator.Validate(subject).IsValid;
    }

    private static void Check(RequestShape shape, bool expectImage)
    {
        if (shape.ReadProblems.Count > 0)
        {
            throw new InvalidOperationException("unexpected read problems: " + string.Join("; ", shape.ReadProblems));
        }

        if (shape.TextParts != 1 || shape.AspectRatio?.Value != "16:9")
        {
            throw new InvalidOperationException("the shape misses the prompt or the aspect ratio");
        }

        if (expectImage && shape.InlineImages is not [{ Base64Valid: true, DecodedLength: Payloads.EditImageBytes, MimeType.Value: "image/png" }])
        {
            throw new InvalidOperationException("the inline image was not read as a valid 15 MiB PNG");
        }
    }
}

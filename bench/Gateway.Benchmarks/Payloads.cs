using System.Buffers;
using System.Text;

using Routescope.Gateway.Catalog;

namespace Routescope.Gateway.Benchmarks;

/// <summary>The request bodies the benchmarks inspect, built deterministically (same bytes in every process).</summary>
internal static class Payloads
{
    /// <summary>Decoded size of the inline image of the edit request: 15 MiB, i.e. 20 MiB of base64.</summary>
    public const int EditImageBytes = 15 * 1024 * 1024;

    /// <summary>RequestBody's in-memory segment size.</summary>
    public const int SegmentSize = 64 * 1024;

    private const string EditPrefix =
        """{"contents":[{"role":"user","parts":[{"text":"Convert this image into a flat illustration"},{"inline_data":{"mime_type":"image/png","data":""" + "\"";

    private const string EditSuffix =
        "\"" + """}}]}],"generationConfig":{"responseModalities":["IMAGE"],"imageConfig":{"aspectRatio":"16:9"}}}""";

    private const string SmallText =
        """{"contents":[{"role":"user","parts":[{"text":"A watercolour lighthouse on a cliff at dusk, seagulls circling, soft warm light, wide shot with plenty of sky"}]}],"generationConfig":{"responseModalities":["TEXT","IMAGE"],"imageConfig":{"aspectRatio":"16:9"}},"safetySettings":[]}""";

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Length of <see cref="CreateEditRequest"/>, known without building it (the throughput column needs it).</summary>
    public static long EditRequestLength { get; } = EditPrefix.Length + (((EditImageBytes + 2) / 3) * 4L) + EditSuffix.Length;

    public static long SmallTextRequestLength { get; } = Encoding.UTF8.GetByteCount(SmallText);

    public static long LengthOf(Payload payload) => payload switch
    {
        Payload.Edit20MB => EditRequestLength,
        Payload.SmallText => SmallTextRequestLength,
        _ => throw new ArgumentOutOfRangeException(nameof(payload), payload, null),
    };

    /// <summary>A gemini-2.5-flash-image edit request carrying a ~15 MB PNG (random bytes behind a real signature).</summary>
    public static byte[] CreateEditRequest()
    {
        var image = new byte[EditImageBytes];
        new Random(20_971_520).NextBytes(image);
        PngSignature.CopyTo(image, 0);

        var body = new byte[EditRequestLength];
        var written = Encoding.ASCII.GetBytes(EditPrefix, body);
        if (!System.Buffers.Text.Base64.EncodeToUtf8(image, body.AsSpan(written), out _, out var encoded).Equals(OperationStatus.Done))
        {
            throw new InvalidOperationException("base64 encoding failed");
        }

        written += encoded;
        written += Encoding.ASCII.GetBytes(EditSuffix, body.AsSpan(written));
        return written == body.Length ? body : throw new InvalidOperationException($"built {written} bytes, expected {body.Length}");
    }

    public static byte[] CreateSmallTextRequest() => Encoding.UTF8.GetBytes(SmallText);

    /// <summary>The body as RequestBody holds it in memory: a chain of 64 KB segments.</summary>
    public static ReadOnlySequence<byte> Segmented(byte[] body, int segmentSize = SegmentSize)
    {
        ChunkSegment? first = null, last = null;
        for (var offset = 0; offset < body.Length; offset += segmentSize)
        {
            last = new ChunkSegment(body.AsMemory(offset, Math.Min(segmentSize, body.Length - offset)), last);
            first ??= last;
        }

        return first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
    }

    /// <summary>gemini-2.5-flash-image as appsettings.json configures it.</summary>
    public static ModelOptions FlashImage() => new()
    {
        GeneratesImages = true,
        AspectRatios = ["1:1", "3:2", "2:3", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9"],
        DefaultAspectRatio = "1:1",
        ImageSizes = [],
        ResponseModalities = ["TEXT", "IMAGE"],
        RequiredModality = "IMAGE",
        InlineMimeTypes = ["image/png", "image/jpeg", "image/webp", "image/heic", "image/heif"],
        MaxCandidateCount = 1,
        MaxInlineImages = 3,
        MaxImageBytes = 20_971_520,
        MaxTotalImageBytes = 20_971_520,
    };

    private sealed class ChunkSegment : ReadOnlySequenceSegment<byte>
    {
        public ChunkSegment(ReadOnlyMemory<byte> memory, ChunkSegment? previous)
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

/// <summary>Which body a benchmark processes, for the throughput column.</summary>
internal enum Payload
{
    Edit20MB,
    SmallText,
}

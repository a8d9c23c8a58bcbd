using System.IO.Compression;
using System.Text;
using System.Text.Json;

using Routescope.Gateway.Gemini;
using Routescope.Gateway.Metering;

namespace Routescope.Gateway.Tests.Metering;

/// <summary>Bodies as an upstream sends them (encoded, cut into chunks), and what the response tap makes of them.</summary>
internal static class WireBodies
{
    public const string EventStream = "text/event-stream";

    /// <summary>Every way the tap is meant to read a body: the coding name the test knows it by, and the header sent.</summary>
    public static readonly (string Name, string? Header)[] Codings =
    [
        ("identity", null),
        ("gzip", "gzip"),
        ("zlib deflate", "deflate"),
        ("raw deflate", "deflate"),
        ("br", "br"),
    ];

    public static string? Header(string coding) => Codings.Single(c => c.Name == coding).Header;

    public static byte[] Encode(string body, string coding) => Encode(Encoding.UTF8.GetBytes(body), coding);

    public static byte[] Encode(byte[] body, string coding)
    {
        if (coding == "identity")
        {
            return body;
        }

        using var output = new MemoryStream();
        using (var compressor = Compressor(output, coding))
        {
            compressor.Write(body);
        }

        return output.ToArray();
    }

    /// <summary>The tap's observation of the wire bytes written in one piece.</summary>
    public static ResponseObservation Tap(byte[] wire, string? contentEncoding = null, string? contentType = null) =>
        Tap(wire, contentEncoding, contentType, [wire.Length]);

    public static ResponseObservation Tap(string body, string? contentType = null) => Tap(Encoding.UTF8.GetBytes(body), null, contentType);

    /// <summary>The tap's observation of the wire bytes written in chunks of these lengths, cycled until the body ends.</summary>
    public static ResponseObservation Tap(byte[] wire, string? contentEncoding, string? contentType, IReadOnlyList<int> chunkLengths)
    {
        using var tap = new ResponseTap(contentEncoding, contentType);
        var offset = 0;
        for (var i = 0; offset < wire.Length; i++)
        {
            var length = Math.Min(Math.Max(1, chunkLengths[i % chunkLengths.Count]), wire.Length - offset);
            tap.Write(wire.AsSpan(offset, length));
            offset += length;
        }

        return tap.Complete(default);
    }

    /// <summary>The tap's observation of the wire bytes written as two chunks, split at <paramref name="split"/>.</summary>
    public static ResponseObservation TapSplit(byte[] wire, string? contentEncoding, string? contentType, int split)
    {
        using var tap = new ResponseTap(contentEncoding, contentType);
        tap.Write(wire.AsSpan(0, split));
        tap.Write(wire.AsSpan(split));
        return tap.Complete(default);
    }

    /// <summary>Everything the observation says but its timing, for comparing two reads of one body.</summary>
    public static string Describe(ResponseObservation seen) => JsonSerializer.Serialize(seen with { Timing = default });

    private static Stream Compressor(Stream output, string coding) => coding switch
    {
        "gzip" => new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true),
        "zlib deflate" => new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true),
        "raw deflate" => new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true),
        "br" => new BrotliStream(output, CompressionLevel.Optimal, leaveOpen: true),
        _ => throw new ArgumentOutOfRangeException(nameof(coding), coding, "unknown coding"),
    };
}

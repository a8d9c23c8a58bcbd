using System.Text;
using System.Text.Json;

using Routescope.Gateway.Gemini;
using Routescope.Gateway.Metering;

namespace Routescope.Gateway.Tests.Metering;

/// <summary>Bodies as an upstream sends them (cut into chunks), and what the response tap makes of them.</summary>
internal static class WireBodies
{
    public const string EventStream = "text/event-stream";

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
}

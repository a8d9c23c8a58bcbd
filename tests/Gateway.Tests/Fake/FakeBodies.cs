using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Routescope.Gateway.Tests.Fake;

/// <summary>Reading the fake's answers as a client would: decoded by Content-Encoding, SSE parsed by the spec, usage found.</summary>
internal static class FakeBodies
{
    /// <summary>The body decoded by its Content-Encoding (gzip, deflate as zlib, br); identity as is.</summary>
    public static string Decode(byte[] raw, string? encoding, bool rawDeflate = false)
    {
        using var input = new MemoryStream(raw);
        using var decoder = Decoder(input, encoding, rawDeflate);
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    /// <summary>As much of a cut-off body as decodes: what a client that streams the answer could have read.</summary>
    public static string DecodePrefix(byte[] raw, string? encoding)
    {
        using var input = new MemoryStream(raw);
        using var decoder = Decoder(input, encoding, rawDeflate: false);
        using var output = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = decoder.Read(buffer)) > 0)
            {
                output.Write(buffer, 0, read);
            }
        }
        catch (InvalidDataException)
        {
        }

        return Encoding.UTF8.GetString(output.ToArray());
    }

    /// <summary>The body until the connection broke, and whether it did.</summary>
    public static async Task<(byte[] Bytes, bool Broke)> ReadUntilBrokenAsync(HttpResponseMessage response)
    {
        using var received = new MemoryStream();
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException)
        {
            return (received.ToArray(), true);
        }

        return (received.ToArray(), false);
    }

    /// <summary>
    /// The data of each SSE event, as the WHATWG parser yields it: lines end in CRLF, LF or CR; comment lines and
    /// fields other than data are ignored; several data lines join with LF; a blank line ends an event.
    /// </summary>
    public static List<string> SseData(string stream)
    {
        var events = new List<string>();
        var data = new StringBuilder();
        var hasData = false;
        foreach (var line in stream.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n'))
        {
            if (line.Length == 0)
            {
                if (hasData)
                {
                    events.Add(data.ToString());
                }

                data.Clear();
                hasData = false;
                continue;
            }

            if (!line.StartsWith("data:", StringComparison.Ordinal))
            {
                continue;
            }

            var value = line["data:".Length..];
            data.Append(hasData ? "\n" : string.Empty).Append(value.StartsWith(' ') ? value[1..] : value);
            hasData = true;
        }

        return events;
    }

    public static JsonElement Usage(string json) => JsonDocument.Parse(json).RootElement.GetProperty("usageMetadata").Clone();

    public static long Count(JsonElement usage, string name) => usage.TryGetProperty(name, out var value) ? value.GetInt64() : 0;

    /// <summary>Every part of the first candidate, in order.</summary>
    public static JsonElement[] Parts(string json) =>
        JsonDocument.Parse(json).RootElement.GetProperty("candidates")[0].TryGetProperty("content", out var content)
            ? [.. content.GetProperty("parts").EnumerateArray().Select(part => part.Clone())]
            : [];

    private static Stream Decoder(Stream input, string? encoding, bool rawDeflate) => encoding switch
    {
        null or "identity" => input,
        "gzip" => new GZipStream(input, CompressionMode.Decompress),
        "deflate" when rawDeflate => new DeflateStream(input, CompressionMode.Decompress),
        "deflate" => new ZLibStream(input, CompressionMode.Decompress),
        "br" => new BrotliStream(input, CompressionMode.Decompress),
        _ => throw new InvalidDataException("no decoder for " + encoding),
    };
}

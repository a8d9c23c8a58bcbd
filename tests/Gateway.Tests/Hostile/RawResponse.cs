using System.Globalization;
using System.Text;

namespace Routescope.Gateway.Tests.Hostile;

/// <summary>The gateway's answer to one raw request, as it came off the socket.</summary>
public sealed record RawResponse
{
    /// <summary>The first final response's status; 0 when no HTTP response came at all.</summary>
    public required int Status { get; init; }

    /// <summary>The first final response's header block (status line included).</summary>
    public required string Head { get; init; }

    /// <summary>Its body, de-chunked, as UTF-8.</summary>
    public required string Body { get; init; }

    /// <summary>Everything received, as Latin-1 (for looking for secrets byte by byte).</summary>
    public required string Wire { get; init; }

    public required bool Closed { get; init; }

    /// <summary>Bytes that came after the first answer: the answer to a second, smuggled request.</summary>
    public required long BytesAfterAnswer { get; init; }

    public static RawResponse Parse(byte[] bytes, int end, bool closed, long afterAnswer)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var wire = Encoding.Latin1.GetString(bytes);
        var start = 0;
        while (true)
        {
            var headersEnd = wire.IndexOf("\r\n\r\n", start, StringComparison.Ordinal);
            if (headersEnd < 0 || !wire.AsSpan(start).StartsWith("HTTP/", StringComparison.Ordinal))
            {
                return new RawResponse { Status = 0, Head = "", Body = "", Wire = wire, Closed = closed, BytesAfterAnswer = afterAnswer };
            }

            var head = wire[start..headersEnd];
            var status = StatusOf(head);
            if (status is >= 100 and < 200)
            {
                start = headersEnd + 4;
                continue;
            }

            var body = bytes.AsSpan(headersEnd + 4, Math.Max(0, end - headersEnd - 4));
            if (HeaderOf(head, "Transfer-Encoding") is { } coding && coding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            {
                body = Dechunk(body);
            }

            return new RawResponse { Status = status, Head = head, Body = Encoding.UTF8.GetString(body), Wire = wire, Closed = closed, BytesAfterAnswer = afterAnswer };
        }
    }

    internal static int StatusOf(string head)
    {
        var line = head.Split("\r\n")[0].Split(' ');
        return line.Length > 1 && int.TryParse(line[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status) ? status : 0;
    }

    internal static string? HeaderOf(string head, string name)
    {
        foreach (var line in head.Split("\r\n").Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }

    private static byte[] Dechunk(ReadOnlySpan<byte> chunked)
    {
        using var body = new MemoryStream();
        while (true)
        {
            var lineEnd = chunked.IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                break;
            }

            var sizeText = Encoding.Latin1.GetString(chunked[..lineEnd]).Split(';')[0].Trim();
            if (!int.TryParse(sizeText, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var size) || size == 0
                || chunked.Length < lineEnd + 2 + size)
            {
                break;
            }

            body.Write(chunked.Slice(lineEnd + 2, size));
            chunked = chunked[Math.Min(chunked.Length, lineEnd + 2 + size + 2)..];
        }

        return body.ToArray();
    }
}

using System.Text;

using Routescope.Gateway.Hygiene;

namespace Routescope.Gateway.Tests.Hygiene;

/// <summary>What the connection scanner finds in raw bytes, however the reads split them.</summary>
public sealed class ConnectionFramingScannerTests
{
    private const string Line = "POST /v1beta/models/m:generateContent HTTP/1.1\r\nHost: h\r\n";

    [Theory]
    [InlineData(Line + "Content-Length: +5\r\n\r\n{...}", ConnectionFramingScanner.SignedLength)]
    [InlineData(Line + "content-length:-0\r\n\r\n", ConnectionFramingScanner.SignedLength)]
    [InlineData(Line + "CONTENT-LENGTH: \t+12\r\n\r\n", ConnectionFramingScanner.SignedLength)]
    [InlineData(Line + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", ConnectionFramingScanner.LengthWithCoding)]
    [InlineData(Line + "Transfer-Encoding: chunked\r\nX: y\r\ncontent-length: 5\r\n\r\n", ConnectionFramingScanner.LengthWithCoding)]
    [InlineData(Line + "Content-Length: 2\r\n\r\n{}" + Line + "Content-Length: +2\r\n\r\n{}", ConnectionFramingScanner.SignedLength)]
    public void Hidden_framing_is_found_in_every_split(string bytes, string expected)
    {
        var raw = Encoding.ASCII.GetBytes(bytes);
        for (var split = 0; split <= raw.Length; split++)
        {
            var scanner = new ConnectionFramingScanner();
            scanner.Scan(raw.AsSpan(0, split));
            scanner.Scan(raw.AsSpan(split));
            Assert.Equal(expected, scanner.Problem);
        }
    }

    [Theory]
    [InlineData(Line + "Content-Length: 5\r\n\r\n{...}")]
    [InlineData(Line + "Content-Length: 05\r\n\r\n")]
    [InlineData(Line + "Transfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n0\r\n\r\n")]
    [InlineData(Line + "X-Content-Length: +5\r\nContent-Length: 0\r\n\r\n")]
    [InlineData(Line + "X-Note: Content-Length: +5\r\nContent-Length: 0\r\n\r\n")]
    // Two requests on one connection, one framed each way: each head is judged alone.
    [InlineData(Line + "Content-Length: 2\r\n\r\n{}" + Line + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")]
    public void Plain_framing_passes(string bytes)
    {
        var raw = Encoding.ASCII.GetBytes(bytes);
        for (var split = 0; split <= raw.Length; split++)
        {
            var scanner = new ConnectionFramingScanner();
            scanner.Scan(raw.AsSpan(0, split));
            scanner.Scan(raw.AsSpan(split));
            Assert.Null(scanner.Problem);
        }
    }
}

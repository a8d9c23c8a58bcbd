using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Routescope.Gateway.Tests.Infrastructure;

/// <summary>
/// The request line and headers of one HTTP/1.1 request as read off a socket by <see cref="RawFaultUpstream"/>, with
/// the body bytes that came in the same reads.
/// </summary>
internal sealed class RawRequestHead
{
    private static readonly byte[] EndOfHead = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] LastChunk = "0\r\n\r\n"u8.ToArray();

    private readonly string[] _lines;
    private readonly Dictionary<string, string> _headers;
    private byte[] _body;

    private RawRequestHead(string[] lines, Dictionary<string, string> headers, byte[] body)
    {
        _lines = lines;
        _headers = headers;
        _body = body;
        var target = lines[0].Split(' ')[1];
        const string Models = "/models/";
        var start = target.IndexOf(Models, StringComparison.Ordinal);
        if (start >= 0)
        {
            var name = target[(start + Models.Length)..];
            var end = name.IndexOfAny([':', '?']);
            Model = end < 0 ? name : name[..end];
        }
    }

    /// <summary>The model segment of the path, or null.</summary>
    public string? Model { get; }

    public string? Header(string name) => _headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The head of the next request on <paramref name="socket"/>; null when the peer closed before sending one.</summary>
    public static async Task<RawRequestHead?> ReadAsync(Socket socket, int maxHead, CancellationToken cancellationToken)
    {
        var received = new List<byte>();
        var buffer = new byte[8192];
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                return null;
            }

            received.AddRange(buffer.AsSpan(0, read));
            var all = received.ToArray();
            var end = all.AsSpan().IndexOf(EndOfHead);
            if (end >= 0)
            {
                var lines = Encoding.Latin1.GetString(all, 0, end).Split("\r\n");
                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var line in lines.Skip(1))
                {
                    var colon = line.IndexOf(':', StringComparison.Ordinal);
                    headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                }

                return new RawRequestHead(lines, headers, all[(end + EndOfHead.Length)..]);
            }

            if (all.Length > maxHead)
            {
                throw new IOException("The request head is larger than the raw upstream reads.");
            }
        }
    }

    /// <summary>Reads the rest of the body (Content-Length or chunked), so the gateway has sent the whole request.</summary>
    public async Task ReadBodyAsync(Socket socket, CancellationToken cancellationToken)
    {
        var chunked = Header("transfer-encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true;
        var length = chunked ? long.MaxValue : long.Parse(Header("content-length") ?? "0", CultureInfo.InvariantCulture);
        var body = new List<byte>(_body);
        var buffer = new byte[8192];
        while (chunked ? !body.ToArray().AsSpan().EndsWith(LastChunk) : body.Count < length)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                throw new IOException("The gateway closed the connection inside the request body.");
            }

            body.AddRange(buffer.AsSpan(0, read));
        }

        _body = [.. body];
    }

    /// <summary>The request as received, but asking the server to close the connection after its answer.</summary>
    public byte[] WithConnectionClose()
    {
        var head = new StringBuilder();
        head.Append(_lines[0]).Append("\r\n");
        foreach (var line in _lines.Skip(1))
        {
            if (!line.StartsWith("connection:", StringComparison.OrdinalIgnoreCase) && !line.StartsWith("keep-alive:", StringComparison.OrdinalIgnoreCase))
            {
                head.Append(line).Append("\r\n");
            }
        }

        head.Append("Connection: close\r\n\r\n");
        return [.. Encoding.Latin1.GetBytes(head.ToString()), .. _body];
    }
}

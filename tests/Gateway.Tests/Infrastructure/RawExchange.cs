using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Routescope.Gateway.Tests.Infrastructure;

/// <summary>
/// Writes request bytes exactly as given (framing tricks, raw UTF-8 and control bytes in headers: everything an HTTP
/// client would refuse or normalise) and reads every response until the server closes the connection. A request that
/// ends with <c>Connection: close</c> bounds the exchange by itself; the read bound only stops a test that would hang.
/// </summary>
public static class RawExchange
{
    private static readonly TimeSpan ReadBound = TimeSpan.FromSeconds(30);

    public static async Task<IReadOnlyList<RawResponse>> SendAsync(Uri server, string requestBytes) =>
        await SendAsync(server, Encoding.UTF8.GetBytes(requestBytes));

    public static async Task<IReadOnlyList<RawResponse>> SendAsync(Uri server, byte[] requestBytes)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        await using var stream = tcp.GetStream();
        await stream.WriteAsync(requestBytes);
        using var bound = new CancellationTokenSource(ReadBound);
        using var received = new MemoryStream();
        try
        {
            await stream.CopyToAsync(received, bound.Token);
        }
        catch (IOException)
        {
            // A reset after the answer (the server closed with unread request bytes) ends the exchange as well.
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("The server kept the connection open after " + Parse(received.ToArray()).Count + " response(s).");
        }

        return Parse(received.ToArray());
    }

    /// <summary>Splits the received bytes into responses, framed by their Content-Length or chunked encoding.</summary>
    public static IReadOnlyList<RawResponse> Parse(byte[] bytes)
    {
        var responses = new List<RawResponse>();
        var text = Encoding.Latin1.GetString(bytes);
        var position = 0;
        while (position < text.Length)
        {
            var headEnd = text.IndexOf("\r\n\r\n", position, StringComparison.Ordinal);
            if (headEnd < 0)
            {
                break;
            }

            var lines = text[position..headEnd].Split("\r\n");
            var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
            var headers = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                var name = line[..colon].Trim().ToLowerInvariant();
                var value = line[(colon + 1)..].Trim();
                headers[name] = headers.TryGetValue(name, out var earlier) ? earlier + "," + value : value;
            }

            position = headEnd + 4;
            string body;
            if (headers.TryGetValue("content-length", out var length))
            {
                var count = Math.Min(int.Parse(length, CultureInfo.InvariantCulture), text.Length - position);
                body = text.Substring(position, count);
                position += count;
            }
            else if (headers.TryGetValue("transfer-encoding", out var coding) && coding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            {
                var decoded = new StringBuilder();
                while (true)
                {
                    var sizeEnd = text.IndexOf("\r\n", position, StringComparison.Ordinal);
                    var size = int.Parse(text[position..sizeEnd].Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    position = sizeEnd + 2;
                    if (size == 0)
                    {
                        position = text.IndexOf("\r\n\r\n", position - 2, StringComparison.Ordinal) + 4;
                        break;
                    }

                    decoded.Append(text, position, size);
                    position += size + 2;
                }

                body = decoded.ToString();
            }
            else
            {
                body = text[position..];
                position = text.Length;
            }

            responses.Add(new RawResponse(status, headers, Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(body))));
        }

        return responses;
    }
}

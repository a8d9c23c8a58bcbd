using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Routescope.Gateway.Tests.Fake;

/// <summary>
/// A caller that walks away: it sends a request over a raw socket, reads a few bytes of the answer and resets the
/// connection (linger 0), so the server learns at once that nobody reads any more. HttpClient would instead drain or
/// close politely, leaving the server to find out whenever the kernel's buffers fill.
/// </summary>
internal static class LeavingClient
{
    public static async Task LeaveAfterAsync(HttpRequestMessage request, Uri server, int bytes)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        var stream = tcp.GetStream();
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync();
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{request.Method} {request.RequestUri} HTTP/1.1\r\n")
            .Append(CultureInfo.InvariantCulture, $"Host: {server.Authority}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n")
            .Append("Content-Type: application/json\r\n");
        foreach (var header in request.Headers)
        {
            head.Append(CultureInfo.InvariantCulture, $"{header.Key}: {string.Join(",", header.Value)}\r\n");
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()));
        await stream.WriteAsync(body);
        var buffer = new byte[bytes];
        await stream.ReadExactlyAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        tcp.LingerState = new LingerOption(true, 0);
        tcp.Close();
    }
}

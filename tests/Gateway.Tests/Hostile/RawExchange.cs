using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Routescope.Gateway.Tests.Hostile;

/// <summary>
/// Sends a case's bytes over a plain socket (nothing normalises them on the way) and reads what comes back: the first
/// final response, and whether the connection then closed or carried on.
/// </summary>
public static class RawExchange
{
    /// <summary>How long a connection may stay open after its answer before a case that expects a close fails.</summary>
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan AnswerWait = TimeSpan.FromSeconds(15);

    public static async Task<RawResponse> SendAsync(Uri server, byte[] request, HostileCase hostile)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(hostile);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        var stream = tcp.GetStream();
        using var answered = new CancellationTokenSource(AnswerWait);
        var sending = WriteAsync(stream, request, hostile, answered.Token);
        var received = new MemoryStream();
        var isHead = request.AsSpan().StartsWith("HEAD "u8);
        var buffer = new byte[64 * 1024];
        int? end = null;
        var closed = false;
        try
        {
            while (end is null)
            {
                var read = await stream.ReadAsync(buffer, answered.Token);
                if (read == 0)
                {
                    closed = true;
                    break;
                }

                received.Write(buffer, 0, read);
                end = ResponseEnd(received.GetBuffer().AsSpan(0, (int)received.Length), isHead);
            }
        }
        catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException)
        {
            closed = exception is not OperationCanceledException;
        }

        var afterAnswer = 0L;
        if (!closed && end is not null && hostile.Closes)
        {
            using var closing = new CancellationTokenSource(CloseWait);
            try
            {
                int read;
                while ((read = await stream.ReadAsync(buffer, closing.Token)) > 0)
                {
                    afterAnswer += read;
                }

                closed = true;
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception exception) when (exception is IOException or SocketException)
            {
                closed = true;
            }
        }

        await answered.CancelAsync();
        try
        {
            await sending;
        }
        catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }

        var bytes = received.ToArray();
        return RawResponse.Parse(bytes, end ?? bytes.Length, closed, afterAnswer + (bytes.Length - (end ?? bytes.Length)));
    }

    private static async Task WriteAsync(NetworkStream stream, byte[] request, HostileCase hostile, CancellationToken cancellation)
    {
        var length = hostile.StallAfterBytes is { } stall ? Math.Min(stall, request.Length) : request.Length;
        var step = hostile.DripBytes ?? length;
        for (var offset = 0; offset < length; offset += step)
        {
            if (offset > 0)
            {
                await Task.Delay(hostile.DripIntervalMs, cancellation);
            }

            await stream.WriteAsync(request.AsMemory(offset, Math.Min(step, length - offset)), cancellation);
        }
    }

    /// <summary>Where the first final (non-1xx) response ends, once it is complete; null while it is not.</summary>
    private static int? ResponseEnd(ReadOnlySpan<byte> received, bool isHead)
    {
        var start = 0;
        while (true)
        {
            var rest = received[start..];
            var headersEnd = rest.IndexOf("\r\n\r\n"u8);
            if (headersEnd < 0)
            {
                return null;
            }

            var head = Encoding.Latin1.GetString(rest[..headersEnd]);
            var status = RawResponse.StatusOf(head);
            var bodyStart = start + headersEnd + 4;
            if (status is >= 100 and < 200)
            {
                start = bodyStart;
                continue;
            }

            if (isHead || status is 204 or 304)
            {
                return bodyStart;
            }

            if (RawResponse.HeaderOf(head, "Content-Length") is { } length)
            {
                var total = bodyStart + long.Parse(length, CultureInfo.InvariantCulture);
                return received.Length >= total ? (int)total : null;
            }

            if (RawResponse.HeaderOf(head, "Transfer-Encoding") is { } coding && coding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            {
                var last = received[bodyStart..].IndexOf("0\r\n\r\n"u8);
                return last >= 0 && (last == 0 || received[bodyStart + last - 1] == (byte)'\n') ? bodyStart + last + 5 : null;
            }

            // Neither length nor chunks: the body runs to the close.
            return null;
        }
    }
}

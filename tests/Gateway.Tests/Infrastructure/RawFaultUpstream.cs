using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

using Routescope.Fake;

namespace Routescope.Gateway.Tests.Infrastructure;

/// <summary>
/// A raw TCP upstream in front of the fake one, for the faults Kestrel cannot make: a request carrying
/// <see cref="FaultHeader"/> (for the model in <see cref="FakeHeaders.SteerModel"/>, when given) gets that
/// <see cref="RawFault"/>; every other request is relayed byte for byte to the fake, on a connection of its own
/// (<c>Connection: close</c>), so no connection is ever reused and each fault meets a fresh request. It can also stop
/// listening, so connections are refused, and listen again on the same port.
/// </summary>
public sealed class RawFaultUpstream : IAsyncDisposable
{
    public const string FaultHeader = "x-raw-fault";

    private const int MaxHead = 64 * 1024;

    private readonly Uri _fake;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<RawFaultHit> _hits = new();
    private readonly ConcurrentDictionary<Socket, byte> _open = new();
    private TcpListener? _listener;
    private Task _accepting = Task.CompletedTask;

    private RawFaultUpstream(Uri fake, int port)
    {
        _fake = fake;
        Port = port;
    }

    public int Port { get; }

    public Uri BaseAddress => new("http://127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture));

    /// <summary>The requests that were faulted, oldest first.</summary>
    public IReadOnlyList<RawFaultHit> Hits => [.. _hits];

    public static RawFaultUpstream Start(Uri fake)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var upstream = new RawFaultUpstream(fake, ((IPEndPoint)listener.LocalEndpoint).Port);
        upstream.Listen(listener);
        return upstream;
    }

    /// <summary>Stops listening: from now on connections to <see cref="Port"/> are refused.</summary>
    public async Task RefuseAsync()
    {
        _listener?.Stop();
        _listener = null;
        await _accepting;
    }

    /// <summary>Listens again on the same port.</summary>
    public void Accept()
    {
        var listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Start();
        Listen(listener);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await RefuseAsync();
        foreach (var socket in _open.Keys)
        {
            socket.Dispose();
        }

        _stop.Dispose();
    }

    private void Listen(TcpListener listener)
    {
        _listener = listener;
        _accepting = AcceptLoopAsync(listener);
    }

    private async Task AcceptLoopAsync(TcpListener listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
            {
                return;
            }

            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        _open.TryAdd(socket, 0);
        try
        {
            var head = await RawRequestHead.ReadAsync(socket, MaxHead, _stop.Token);
            if (head is null)
            {
                return;
            }

            if (head.Header(FaultHeader) is { } name && Applies(head))
            {
                var fault = Enum.Parse<RawFault>(name, ignoreCase: true);
                await head.ReadBodyAsync(socket, _stop.Token);
                _hits.Enqueue(new RawFaultHit(head.Header("x-request-id") ?? string.Empty, head.Model ?? string.Empty, fault));
                await FaultAsync(socket, fault);
            }
            else
            {
                await RelayAsync(socket, head);
            }
        }
        catch (Exception exception) when (exception is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The gateway gave up on the connection (it does so on purpose for some faults): nothing to serve.
        }
        finally
        {
            _open.TryRemove(socket, out _);
            socket.Dispose();
        }
    }

    private static bool Applies(RawRequestHead head) =>
        head.Header(FakeHeaders.SteerModel) is not { } steered || string.Equals(steered.Trim(), head.Model, StringComparison.Ordinal);

    private async Task FaultAsync(Socket socket, RawFault fault)
    {
        switch (fault)
        {
            case RawFault.ResetBeforeHeaders:
                Reset(socket);
                break;
            case RawFault.FinBeforeHeaders:
                socket.Shutdown(SocketShutdown.Send);
                await DrainUntilClosedAsync(socket);
                break;
            case RawFault.HeadersThenReset:
                await SendAsync(socket, "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=UTF-8\r\nContent-Length: 20000\r\n\r\n");
                await ResetSoonAsync(socket);
                break;
            case RawFault.ResetMidBody:
                await SendAsync(socket, "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=UTF-8\r\nContent-Length: 20000\r\n\r\n"
                    + "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"iVBORw0KGgo"
                    + new string('A', 4000));
                await ResetSoonAsync(socket);
                break;
            case RawFault.HugeHeader:
                await SendAnswerWithHeadersAsync(socket, "X-Padding: " + new string('a', 128 * 1024) + "\r\n");
                break;
            case RawFault.ManyHeaders:
                var many = new StringBuilder();
                for (var i = 0; i < 2048; i++)
                {
                    many.Append(CultureInfo.InvariantCulture, $"X-Pad-{i:D4}: {new string('p', 50)}\r\n");
                }

                await SendAnswerWithHeadersAsync(socket, many.ToString());
                break;
        }
    }

    /// <summary>A small, valid answer after headers the gateway's HTTP client will not take.</summary>
    private async Task SendAnswerWithHeadersAsync(Socket socket, string headers)
    {
        const string Body = "{\"candidates\":[]}";
        await SendAsync(socket, "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=UTF-8\r\n" + headers
            + "Content-Length: " + Body.Length.ToString(CultureInfo.InvariantCulture) + "\r\nConnection: close\r\n\r\n" + Body);
        socket.Shutdown(SocketShutdown.Send);
        await DrainUntilClosedAsync(socket);
    }

    /// <summary>Resets once what was sent had a moment to reach the peer (a reset may discard data still queued).</summary>
    private async Task ResetSoonAsync(Socket socket)
    {
        await Task.Delay(200, _stop.Token);
        Reset(socket);
    }

    /// <summary>Closing with a zero linger time sends RST instead of FIN.</summary>
    private static void Reset(Socket socket)
    {
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }

    private static async Task SendAsync(Socket socket, string text) => await socket.SendAsync(Encoding.ASCII.GetBytes(text), SocketFlags.None);

    /// <summary>Waits, bounded, for the gateway to close its side, so our close does not turn into a reset.</summary>
    private async Task DrainUntilClosedAsync(Socket socket)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        bound.CancelAfter(TimeSpan.FromSeconds(10));
        var buffer = new byte[4096];
        while (await socket.ReceiveAsync(buffer, SocketFlags.None, bound.Token) > 0)
        {
        }
    }

    /// <summary>Relays one request to the fake and its answer back, on a connection used for nothing else.</summary>
    private async Task RelayAsync(Socket socket, RawRequestHead head)
    {
        using var fake = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await fake.ConnectAsync(_fake.Host, _fake.Port, _stop.Token);
        await fake.SendAsync(head.WithConnectionClose(), SocketFlags.None, _stop.Token);
        await using var toFake = new NetworkStream(fake, ownsSocket: false);
        await using var toGateway = new NetworkStream(socket, ownsSocket: false);
        var request = CopyQuietlyAsync(toGateway, toFake);
        await toFake.CopyToAsync(toGateway, _stop.Token);
        socket.Shutdown(SocketShutdown.Send);
        fake.Shutdown(SocketShutdown.Both);
        await request;
    }

    private async Task CopyQuietlyAsync(Stream from, Stream to)
    {
        try
        {
            await from.CopyToAsync(to, _stop.Token);
        }
        catch (Exception exception) when (exception is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }
}


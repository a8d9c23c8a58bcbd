using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Routescope.Gateway.Tests.Infrastructure;

/// <summary>
/// A loopback TCP relay between the gateway and the fake upstream that keeps, per connection, every byte sent toward
/// the upstream. "Nothing was forwarded" is then a fact about the socket, not about what the fake's own HTTP parser
/// chose to accept and log.
/// </summary>
public sealed class TcpTap : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _target;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<TapConnection> _connections = new();
    private readonly Task _accepting;

    public TcpTap(Uri target)
    {
        _target = target;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The address to give the gateway as its upstream.</summary>
    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>Where every connection stands now; <see cref="Since"/> returns what was sent after it.</summary>
    public TapMark Mark() => new(_connections.ToDictionary(connection => connection, connection => connection.Length));

    /// <summary>The bytes sent toward the upstream since <paramref name="mark"/>, connection after connection.</summary>
    public byte[] Since(TapMark mark)
    {
        ArgumentNullException.ThrowIfNull(mark);
        using var sent = new MemoryStream();
        foreach (var connection in _connections)
        {
            var from = mark.Lengths.TryGetValue(connection, out var length) ? length : 0;
            sent.Write(connection.Snapshot(from));
        }

        return sent.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient downstream;
            try
            {
                downstream = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var connection = new TapConnection();
            _connections.Enqueue(connection);
            _ = RelayAsync(downstream, connection);
        }
    }

    private async Task RelayAsync(TcpClient downstream, TapConnection connection)
    {
        using (downstream)
        using (var upstream = new TcpClient())
        {
            try
            {
                await upstream.ConnectAsync(_target.Host, _target.Port, _stopping.Token);
                await using var fromGateway = downstream.GetStream();
                await using var toUpstream = upstream.GetStream();
                var outbound = PumpAsync(fromGateway, toUpstream, connection);
                var inbound = PumpAsync(toUpstream, fromGateway, recorder: null);
                // Either side closing ends the relayed connection, as a direct connection would end.
                await Task.WhenAny(outbound, inbound);
            }
            catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    private async Task PumpAsync(Stream from, Stream to, TapConnection? recorder)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, _stopping.Token)) > 0)
            {
                recorder?.Append(buffer.AsSpan(0, read));
                await to.WriteAsync(buffer.AsMemory(0, read), _stopping.Token);
            }
        }
        catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }
}

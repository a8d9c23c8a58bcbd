using System.IO.Pipelines;

using Microsoft.AspNetCore.Connections;

namespace Routescope.Gateway.Hygiene;

/// <summary>
/// The connection side of the framing checks: Kestrel connection middleware puts a <see cref="ConnectionFramingScanner"/>
/// in front of every connection's input, and requests ask it through their features (Kestrel falls back to the
/// connection's features for those a request does not have).
/// </summary>
internal static class ConnectionFraming
{
    public static string? Problem(HttpContext context) => context.Features.Get<ConnectionFramingScanner>()?.Problem;

    public static ConnectionDelegate Watch(ConnectionDelegate next) => connection =>
    {
        var scanner = new ConnectionFramingScanner();
        connection.Features.Set(scanner);
        var transport = connection.Transport;
        var input = new ScannedInput(transport.Input, scanner);
        connection.Transport = new WatchedTransport(input, transport.Output);
        return next(connection);
    };

    private sealed class WatchedTransport(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}

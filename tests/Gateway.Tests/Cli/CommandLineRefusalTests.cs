using System.Net;
using System.Net.Sockets;

using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Cli;

/// <summary>
/// Asking for help, or mistyping a command, prints the usage and exits non-zero: it never starts the server (which
/// would serve under a typo, or end in a stack trace when the port is taken). Process-level: the exit is the process's.
/// </summary>
public sealed class CommandLineRefusalTests
{
    [Theory]
    [InlineData("help", 1)]
    [InlineData("--help", 1)]
    [InlineData("-h", 1)]
    [InlineData("statr", 2)]
    [InlineData("key", 2)]
    public async Task Help_and_unknown_commands_print_the_usage_and_exit_without_serving(string argument, int expected)
    {
        // The port the gateway would take is held by the test: a server start would fail loudly, not pass quietly.
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;

        var (exit, stdout, stderr) = await RunAsync(argument, port);

        Assert.Equal(expected, exit);
        Assert.Contains("Usage:", expected == 1 ? stdout : stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", stdout + stderr, StringComparison.Ordinal);
        if (expected == 2)
        {
            Assert.Contains($"Unknown command '{argument}'", stderr, StringComparison.Ordinal);
        }
    }

    private static Task<(int Exit, string Stdout, string Stderr)> RunAsync(string argument, int port) =>
        GatewayRun.RunAsync(
            new Dictionary<string, string>
            {
                ["Urls"] = $"http://127.0.0.1:{port}",
                ["GATEWAY_DATA_DIR"] = Path.Combine(Path.GetTempPath(), "rsg-refusal-" + Guid.NewGuid().ToString("N")),
            },
            argument);
}

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Cli;

/// <summary>
/// <c>dotnet Gateway.dll healthcheck</c>, as the image's HEALTHCHECK and compose run it: a process of its own beside
/// the gateway, with the same environment, exiting 0 only when the gateway's own <c>/healthz</c> answers 200.
/// </summary>
public sealed class HealthCheckCommandTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Exits_0_against_a_running_gateway_found_through_ASPNETCORE_HTTP_PORTS()
    {
        var environment = new Dictionary<string, string> { ["ASPNETCORE_HTTP_PORTS"] = FreePort().ToString(CultureInfo.InvariantCulture) };
        await using var gateway = await GatewayProcess.StartAsync(WithDataDirectory(environment));

        var (exit, stdout, stderr) = await HealthCheckAsync([], environment);

        Assert.True(exit == 0, $"exit {exit}\n{stdout}\n{stderr}");
        Assert.Contains($"http://127.0.0.1:{gateway.Address.Port}/healthz", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exits_0_against_a_running_gateway_found_through_ASPNETCORE_URLS_and_1_once_it_is_gone()
    {
        var environment = new Dictionary<string, string> { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePort()}" };
        var gateway = await GatewayProcess.StartAsync(WithDataDirectory(environment));
        try
        {
            var (exit, stdout, stderr) = await HealthCheckAsync([], environment);
            Assert.True(exit == 0, $"exit {exit}\n{stdout}\n{stderr}");
        }
        finally
        {
            await gateway.DisposeAsync();
        }

        var (after, _, error) = await HealthCheckAsync([], environment);
        Assert.Equal(1, after);
        Assert.Contains("unhealthy", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exits_1_when_nothing_listens_on_the_port_the_settings_name()
    {
        var port = FreePort();

        var (exit, stdout, stderr) = await HealthCheckAsync([], new Dictionary<string, string> { ["ASPNETCORE_HTTP_PORTS"] = port.ToString(CultureInfo.InvariantCulture) });

        Assert.Equal(1, exit);
        Assert.Empty(stdout);
        Assert.Contains($"http://127.0.0.1:{port}/healthz", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exits_1_on_an_answer_other_than_200_and_when_no_answer_comes()
    {
        using var unhealthy = new TcpListener(IPAddress.Loopback, 0);
        unhealthy.Start();
        var answering = AnswerOnceAsync(unhealthy, "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        var address = $"http://127.0.0.1:{((IPEndPoint)unhealthy.LocalEndpoint).Port}";

        var (exit, _, stderr) = await HealthCheckAsync(["--url", address], new Dictionary<string, string>());
        await answering;

        Assert.Equal(1, exit);
        Assert.Contains("answered 503", stderr, StringComparison.Ordinal);

        // Accepts and never answers: the probe gives up by itself (about 3 s) instead of hanging the orchestrator's check.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var (silentExit, _, silentError) = await HealthCheckAsync([$"--url=http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/healthz"], new Dictionary<string, string>());

        Assert.Equal(1, silentExit);
        Assert.Contains("no answer within 3 s", silentError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Does_not_open_the_store_or_create_the_data_directory()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "rsg-healthcheck-" + Guid.NewGuid().ToString("N"));

        var (exit, _, _) = await HealthCheckAsync([], new Dictionary<string, string>
        {
            ["ASPNETCORE_HTTP_PORTS"] = FreePort().ToString(CultureInfo.InvariantCulture),
            ["GATEWAY_DATA_DIR"] = dataDirectory,
            ["ConnectionStrings__Gateway"] = "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none;Timeout=1",
        });

        Assert.Equal(1, exit);
        Assert.False(Directory.Exists(dataDirectory), "healthcheck created the data directory: it built the host");
    }

    [Fact]
    public async Task Rejects_unknown_arguments_with_its_usage()
    {
        var (exit, _, stderr) = await HealthCheckAsync(["--port", "8080"], new Dictionary<string, string>());

        Assert.Equal(2, exit);
        Assert.Contains("Usage: Gateway healthcheck", stderr, StringComparison.Ordinal);
    }

    private static async Task AnswerOnceAsync(TcpListener listener, string answer)
    {
        using var deadline = new CancellationTokenSource(Bound);
        using var client = await listener.AcceptTcpClientAsync(deadline.Token);
        var stream = client.GetStream();
        var buffer = new byte[4096];
        var head = new StringBuilder();
        while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, deadline.Token);
            if (read == 0)
            {
                return;
            }

            head.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(answer), deadline.Token);
    }

    /// <summary>Runs the command from the repository root (the gateway's content root) with exactly these settings.</summary>
    private static Task<(int Exit, string Stdout, string Stderr)> HealthCheckAsync(string[] arguments, IReadOnlyDictionary<string, string> environment) =>
        GatewayRun.RunAsync(environment, ["healthcheck", .. arguments]);

    /// <summary>A data directory of the gateway's own: the repository's ./data may be held by another test's gateway.</summary>
    private static Dictionary<string, string> WithDataDirectory(Dictionary<string, string> environment) =>
        new(environment) { ["GATEWAY_DATA_DIR"] = Path.Combine(Path.GetTempPath(), "rsg-healthcheck-" + Guid.NewGuid().ToString("N")) };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Net;
using System.Net.Sockets;

using Routescope.Gateway.Hosting;
using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Hosting;

/// <summary>
/// The listen variables container platforms set decide the port: the root appsettings.json names no address that
/// would override them, and the default is 8080 only when none is set.
/// </summary>
public sealed class ListenSettingsTests
{
    [Fact]
    public async Task ASPNETCORE_HTTP_PORTS_decides_the_port()
    {
        var port = FreePort();
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string> { ["ASPNETCORE_HTTP_PORTS"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        Assert.Equal(port, gateway.Address.Port);
        Assert.Equal(HttpStatusCode.OK, await HealthAsync(port));
    }

    [Fact]
    public async Task ASPNETCORE_URLS_decides_the_address()
    {
        var port = FreePort();
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string> { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" });

        Assert.Equal(new Uri($"http://127.0.0.1:{port}"), gateway.Address);
        Assert.Equal(HttpStatusCode.OK, await HealthAsync(port));
    }

    [Fact]
    public void The_ops_edited_settings_name_no_listen_address_and_the_default_is_8080()
    {
        var settings = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "appsettings.json"));

        Assert.DoesNotContain("\"Urls\"", settings, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\"Kestrel\"", settings, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("http://0.0.0.0:8080", ListenDefaults.Default);
    }

    private static async Task<HttpStatusCode> HealthAsync(int port)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"));
        return response.StatusCode;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

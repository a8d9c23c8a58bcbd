using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Hosting;

/// <summary>
/// With <c>Admin:Urls</c>, admin and metrics live on their own port and the proxy on the public one; the probes answer
/// on both. Process-level: the two listeners are the process's, as an orchestrator's probes and scrapers see them.
/// </summary>
public sealed class AdminPortTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "rsg-ports-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    [Fact]
    public async Task Admin_and_metrics_are_served_on_the_admin_port_only_and_the_proxy_on_the_public_port_only()
    {
        var adminPort = FreePort();
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Admin__Urls"] = $"http://127.0.0.1:{adminPort}",
            ["GATEWAY_DATA_DIR"] = DataDirectory(),
        });
        using var publicPlain = gateway.CreateClient();
        using var publicSide = gateway.CreateAdminClient();
        using var adminPlain = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://127.0.0.1:{adminPort}") };
        using var adminSide = AdminClient(adminPort);

        var key = await CreateKeyAsync(adminSide);
        using var proxied = await publicPlain.SendAsync(GeminiRequests.Generate(key));
        using var proxiedOnAdmin = await adminPlain.SendAsync(GeminiRequests.Generate(key));

        Assert.NotEqual(adminPort, gateway.Address.Port);
        Assert.Equal(HttpStatusCode.OK, proxied.StatusCode);
        await AssertNotFoundAsync(proxiedOnAdmin);
        foreach (var path in new[] { "/admin/keys", "/ADMIN/keys", "/admin/audit", "/metrics" })
        {
            using var onPublic = await publicSide.GetAsync(new Uri(path, UriKind.Relative));
            await AssertNotFoundAsync(onPublic);
        }

        // The Host header is the client's to write: it does not make the public port the admin one.
        using var spoofed = new HttpRequestMessage(HttpMethod.Get, new Uri("/admin/keys", UriKind.Relative));
        spoofed.Headers.Host = $"127.0.0.1:{adminPort}";
        using var spoofedAnswer = await publicSide.SendAsync(spoofed);
        await AssertNotFoundAsync(spoofedAnswer);

        Assert.Equal(HttpStatusCode.OK, (await adminSide.GetAsync(new Uri("/admin/keys", UriKind.Relative))).StatusCode);
        Assert.Contains("gateway_demo_mode", await adminSide.GetStringAsync(new Uri("/metrics", UriKind.Relative)), StringComparison.Ordinal);
        foreach (var path in new[] { "/healthz", "/readyz" })
        {
            Assert.Equal(HttpStatusCode.OK, (await publicSide.GetAsync(new Uri(path, UriKind.Relative))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await adminSide.GetAsync(new Uri(path, UriKind.Relative))).StatusCode);
        }
    }

    [Fact]
    public async Task The_admin_port_combines_with_ASPNETCORE_HTTP_PORTS()
    {
        var (publicPort, adminPort) = (FreePort(), FreePort());
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["ASPNETCORE_HTTP_PORTS"] = publicPort.ToString(CultureInfo.InvariantCulture),
            ["Admin__Urls"] = $"http://127.0.0.1:{adminPort}",
            ["GATEWAY_DATA_DIR"] = DataDirectory(),
        });
        using var adminSide = AdminClient(adminPort);

        Assert.Equal(publicPort, gateway.Address.Port);
        Assert.Equal(HttpStatusCode.OK, (await adminSide.GetAsync(new Uri("/admin/keys", UriKind.Relative))).StatusCode);
        using var publicSide = gateway.CreateAdminClient();
        await AssertNotFoundAsync(await publicSide.GetAsync(new Uri("/admin/keys", UriKind.Relative)));
    }

    [Fact]
    public async Task An_admin_port_that_is_also_a_public_port_stops_the_start_naming_the_setting()
    {
        var port = FreePort();
        var (exit, stdout, stderr) = await GatewayRun.RunAsync(new Dictionary<string, string>
        {
            ["Urls"] = $"http://127.0.0.1:{port}",
            ["Admin__Urls"] = $"http://127.0.0.1:{port}",
            ["GATEWAY_DEMO"] = "true",
            ["GATEWAY_DATA_DIR"] = DataDirectory(),
        });

        Assert.NotEqual(0, exit);
        Assert.Contains("Admin:Urls", stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", stdout, StringComparison.Ordinal);
    }

    private static async Task AssertNotFoundAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("NOT_FOUND", json.RootElement.GetProperty("error").GetProperty("status").GetString());
    }

    private static async Task<string> CreateKeyAsync(HttpClient admin)
    {
        using var response = await admin.PostAsJsonAsync("/admin/keys", new { name = "ports" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("key").GetString()!;
    }

    private static HttpClient AdminClient(int port)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", GatewayProcess.AdminToken);
        return client;
    }

    private string DataDirectory() => _dataDirectory;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

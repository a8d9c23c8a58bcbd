using System.Net;
using System.Net.Http.Headers;

using Routescope.Fake;
using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Upstream;

/// <summary>
/// Outside Development, demo mode is asked for or the start is refused: the production image with an empty secret
/// must not serve fake images with 200. Process-level: the refusal is the process's exit.
/// </summary>
public sealed class DemoModeProcessTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "rsg-demo-" + Guid.NewGuid().ToString("N"));

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

    private const string UpstreamKey = "upstream-secret-demo-9a8b7c6d";

    public static TheoryData<string, string> Refused => new()
    {
        { "", "" },
        { "ROUTESCOPE_API_KEY", "" },
        { "GATEWAY_DEMO", "false" },
        { "GATEWAY_DEMO", "yes please" },
        { "ROUTESCOPE_BASE_URL", "http://127.0.0.1:9" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Without_an_upstream_key_or_GATEWAY_DEMO_true_the_start_is_refused_in_one_line(string name, string value)
    {
        var environment = Isolated();
        if (name.Length > 0)
        {
            environment[name] = value;
        }

        var (exit, stdout, stderr) = await GatewayRun.RunAsync(environment);

        Assert.Equal(78, exit);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains("ROUTESCOPE_API_KEY", line, StringComparison.Ordinal);
        Assert.Contains("GATEWAY_DEMO", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commands_need_no_upstream_key()
    {
        var (exit, stdout, stderr) = await GatewayRun.RunAsync(Isolated(), "keys", "list");

        Assert.True(exit == 0, stderr);
        Assert.StartsWith("ID", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GATEWAY_DEMO_true_serves_the_demo_upstream_and_says_so()
    {
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>(Isolated()) { ["GATEWAY_DEMO"] = "true" });
        var key = await gateway.CreateKeyAsync("demo-process");
        using var client = gateway.CreateClient();
        using var request = GeminiRequests.Generate(key);
        using var answer = await client.SendAsync(request);
        var (_, ready) = await gateway.ReadinessAsync();

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("\"mode\":\"demo\"", ready, StringComparison.Ordinal);
        var warning = Assert.Single(gateway.Events(3001));
        Assert.Equal("Warning", warning.GetProperty("@l").GetString());
        Assert.Contains("GATEWAY_DEMO=true", warning.GetProperty("Reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_with_GATEWAY_DEMO_true_is_still_a_demo_and_the_key_goes_nowhere()
    {
        await using var upstream = await FakeUpstream.StartAsync(new FakeUpstreamOptions { ApiKey = UpstreamKey });
        var environment = new Dictionary<string, string>(Isolated())
        {
            ["GATEWAY_DEMO"] = "true",
            ["ROUTESCOPE_API_KEY"] = UpstreamKey,
            ["ROUTESCOPE_BASE_URL"] = upstream.BaseAddress.ToString(),
        };
        await using var gateway = await GatewayProcess.StartAsync(environment);
        var key = await gateway.CreateKeyAsync("demo-with-key");
        using var client = gateway.CreateClient();
        using var request = GeminiRequests.Generate(key);
        using var answer = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Empty(upstream.Received);
        Assert.Contains("ignored", Assert.Single(gateway.Events(3001)).GetProperty("Reason").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(UpstreamKey, string.Join('\n', gateway.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_an_upstream_key_the_gateway_serves_it_in_production()
    {
        await using var upstream = await FakeUpstream.StartAsync(new FakeUpstreamOptions { ApiKey = UpstreamKey });
        var environment = new Dictionary<string, string>(Isolated())
        {
            ["ROUTESCOPE_API_KEY"] = UpstreamKey,
            ["ROUTESCOPE_BASE_URL"] = upstream.BaseAddress.ToString(),
        };
        await using var gateway = await GatewayProcess.StartAsync(environment);
        var key = await gateway.CreateKeyAsync("real");
        using var client = gateway.CreateClient();
        using var request = GeminiRequests.Generate(key);
        using var answer = await client.SendAsync(request);
        var (_, ready) = await gateway.ReadinessAsync();

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Single(upstream.Received);
        Assert.Equal(new AuthenticationHeaderValue("Bearer", UpstreamKey).ToString(), upstream.Received[0].Header("Authorization"));
        Assert.Contains("\"mode\":\"upstream\"", ready, StringComparison.Ordinal);
        Assert.Empty(gateway.Events(3001));
    }

    /// <summary>A data directory of the test's own, and a loopback port (a refused start binds none).</summary>
    private Dictionary<string, string> Isolated() => new()
    {
        ["GATEWAY_DATA_DIR"] = _dataDirectory,
        ["Urls"] = "http://127.0.0.1:0",
    };
}

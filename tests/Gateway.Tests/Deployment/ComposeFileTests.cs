using System.Text.Json;

using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Deployment;

/// <summary>
/// docker-compose.yml parses with <c>docker-compose config</c> (Debian's docker-compose, no engine needed), default
/// and <c>monitoring</c> profiles, and keeps its contracts: PostgreSQL first and healthy, the gateway's own healthcheck,
/// no silent demo, admin on the loopback only, hardening, the lifecycle numbers, monitoring from the deploy/ files.
/// </summary>
public sealed class ComposeFileTests
{
    // The runner's own settings must not leak in: an unset variable is what a first `docker compose up` sees.
    private static readonly Dictionary<string, string?> Unset = new()
    {
        ["ROUTESCOPE_API_KEY"] = null,
        ["ROUTESCOPE_BASE_URL"] = null,
        ["GATEWAY_ADMIN_TOKEN"] = null,
        ["GATEWAY_DEMO"] = null,
        ["GRAFANA_ADMIN_PASSWORD"] = null,
        ["COMPOSE_PROFILES"] = null,
        ["COMPOSE_FILE"] = null,
        ["POSTGRES_PASSWORD"] = "compose-test-password",
    };

    // docker-compose 1.x wants a regular file (not /dev/null); one empty file serves every test.
    private static readonly Lazy<string> EmptyEnvFile = new(() =>
    {
        var path = Path.Combine(Path.GetTempPath(), "rsg-compose-empty.env");
        File.WriteAllText(path, string.Empty);
        return path;
    });

    [ToolTheory("docker-compose", "node")]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Parses_with_and_without_the_monitoring_profile(bool monitoring)
    {
        var services = await ConfigAsync(Unset, monitoring ? ["--profile", "monitoring"] : []);

        Assert.Equal(["gateway", "grafana", "postgres", "prometheus"], services.EnumerateObject().Select(s => s.Name).Order(StringComparer.Ordinal));
        Assert.False(services.GetProperty("gateway").TryGetProperty("profiles", out _));
        Assert.False(services.GetProperty("postgres").TryGetProperty("profiles", out _));
        foreach (var name in new[] { "prometheus", "grafana" })
        {
            Assert.Equal("[\"monitoring\"]", services.GetProperty(name).GetProperty("profiles").GetRawText());
            var image = services.GetProperty(name).GetProperty("image").GetString()!;
            Assert.Matches(@":v?\d+\.\d+\.\d+$", image);
        }
    }

    [ToolFact("docker-compose", "node")]
    public async Task The_gateway_waits_for_a_healthy_PostgreSQL_and_probes_itself_without_curl()
    {
        var services = await ConfigAsync(Unset, []);
        var gateway = services.GetProperty("gateway");
        var postgres = services.GetProperty("postgres");

        Assert.Equal("service_healthy", gateway.GetProperty("depends_on").GetProperty("postgres").GetProperty("condition").GetString());
        Assert.Equal("[\"CMD\",\"dotnet\",\"Gateway.dll\",\"healthcheck\"]", gateway.GetProperty("healthcheck").GetProperty("test").GetRawText());
        Assert.Contains("pg_isready", postgres.GetProperty("healthcheck").GetProperty("test").GetRawText(), StringComparison.Ordinal);
        Assert.Contains(postgres.GetProperty("volumes").EnumerateArray(), v => Volume(v).StartsWith("postgres-data:/var/lib/postgresql/data", StringComparison.Ordinal));
        var environment = gateway.GetProperty("environment");
        Assert.Equal("Host=postgres;Port=5432;Database=gateway;Username=gateway;Password=compose-test-password",
            environment.GetProperty("ConnectionStrings__Gateway").GetString());
        Assert.False(postgres.TryGetProperty("ports", out _), "PostgreSQL must not be published");
    }

    [ToolFact("docker-compose", "node")]
    public async Task Demo_mode_is_off_unless_asked_for_and_the_key_comes_from_the_environment()
    {
        var unset = (await ConfigAsync(Unset, [])).GetProperty("gateway").GetProperty("environment");
        var asked = (await ConfigAsync(new Dictionary<string, string?>(Unset) { ["GATEWAY_DEMO"] = "true", ["ROUTESCOPE_API_KEY"] = "rk-from-shell" }, []))
            .GetProperty("gateway").GetProperty("environment");

        Assert.Equal("false", unset.GetProperty("GATEWAY_DEMO").GetString());
        Assert.Equal(string.Empty, unset.GetProperty("ROUTESCOPE_API_KEY").GetString());
        Assert.Equal("true", asked.GetProperty("GATEWAY_DEMO").GetString());
        Assert.Equal("rk-from-shell", asked.GetProperty("ROUTESCOPE_API_KEY").GetString());
    }

    [ToolFact("docker-compose")]
    public async Task Refuses_to_render_without_a_database_password()
    {
        var (exit, _, stderr) = await DeployTools.RunAsync("docker-compose", Arguments([]), new Dictionary<string, string?>(Unset) { ["POSTGRES_PASSWORD"] = null });

        Assert.NotEqual(0, exit);
        Assert.Contains("set POSTGRES_PASSWORD", stderr, StringComparison.Ordinal);
    }

    [ToolFact("docker-compose", "node")]
    public async Task The_gateway_is_hardened_and_drains_like_the_Kubernetes_pod()
    {
        var gateway = (await ConfigAsync(Unset, [])).GetProperty("gateway");
        var environment = gateway.GetProperty("environment");

        Assert.True(gateway.GetProperty("read_only").GetBoolean());
        Assert.Equal("[\"ALL\"]", gateway.GetProperty("cap_drop").GetRawText());
        Assert.Contains(gateway.GetProperty("security_opt").EnumerateArray(), o => o.GetString() == "no-new-privileges:true");
        Assert.Contains(gateway.GetProperty("tmpfs").EnumerateArray(), t => t.GetString()!.StartsWith("/tmp:size=", StringComparison.Ordinal));
        // Large bodies spool to a disk volume: the tmpfs is memory, and 512 MiB of bodies there would meet mem_limit.
        Assert.Equal("/spool", environment.GetProperty("Limits__TempDirectory").GetString());
        Assert.Contains(gateway.GetProperty("volumes").EnumerateArray(), v => v.GetRawText().Contains("/spool", StringComparison.Ordinal));
        Assert.True(gateway.TryGetProperty("mem_limit", out _) && gateway.TryGetProperty("cpus", out _), "memory and cpu limits");
        Assert.Equal("345s", gateway.GetProperty("stop_grace_period").GetString());
        Assert.Equal("330", environment.GetProperty("DOTNET_shutdownTimeoutSeconds").GetString());
        Assert.Equal("http://0.0.0.0:9090", environment.GetProperty("Admin__Urls").GetString());

        var ports = gateway.GetProperty("ports").EnumerateArray().Select(Port).ToArray();
        Assert.Contains(("", "8080", "8080"), ports);
        Assert.Contains(("127.0.0.1", "9090", "9090"), ports);
        Assert.DoesNotContain(ports, p => p.Target == "9090" && p.HostIp != "127.0.0.1");
    }

    [ToolFact("docker-compose", "node")]
    public async Task Prometheus_and_Grafana_are_provisioned_from_the_deploy_files()
    {
        var services = await ConfigAsync(Unset, ["--profile", "monitoring"]);
        var prometheus = services.GetProperty("prometheus").GetProperty("volumes").EnumerateArray().Select(Volume).ToArray();
        var grafana = services.GetProperty("grafana").GetProperty("volumes").EnumerateArray().Select(Volume).ToArray();
        var root = RepositoryRoot.Path.TrimEnd('/');

        Assert.Contains($"{root}/deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro", prometheus);
        Assert.Contains($"{root}/deploy/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro", prometheus);
        Assert.Contains($"{root}/deploy/grafana/provisioning:/etc/grafana/provisioning:ro", grafana);
        Assert.Contains($"{root}/deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro", grafana);
    }

    private static string[] Arguments(string[] extra) =>
        // An empty env file: a developer's .env beside the compose file must not change what the test sees.
        ["--env-file", EmptyEnvFile.Value, "-f", "docker-compose.yml", .. extra, "config"];

    private static async Task<JsonElement> ConfigAsync(IReadOnlyDictionary<string, string?> environment, string[] extra)
    {
        var (exit, stdout, stderr) = await DeployTools.RunAsync("docker-compose", Arguments(extra), environment);
        Assert.True(exit == 0, "docker-compose config failed:\n" + stderr);
        var documents = await DeployTools.ParseYamlAsync(stdout);
        return Assert.Single(documents).GetProperty("services");
    }

    /// <summary>A volume in either rendering: docker-compose 1.x writes "source:target:mode", Compose v2 an object.</summary>
    private static string Volume(JsonElement volume) => volume.ValueKind == JsonValueKind.String
        ? volume.GetString()!
        : $"{volume.GetProperty("source").GetString()}:{volume.GetProperty("target").GetString()}"
          + (volume.TryGetProperty("read_only", out var readOnly) && readOnly.GetBoolean() ? ":ro" : string.Empty);

    /// <summary>(host ip, published, target) in either rendering: "127.0.0.1:9090:9090/tcp" or the long form.</summary>
    private static (string HostIp, string Published, string Target) Port(JsonElement port)
    {
        if (port.ValueKind == JsonValueKind.String)
        {
            var parts = port.GetString()!.Split('/')[0].Split(':');
            return parts.Length == 3 ? (parts[0], parts[1], parts[2]) : (string.Empty, parts[0], parts[^1]);
        }

        var hostIp = port.TryGetProperty("host_ip", out var ip) ? ip.GetString()! : string.Empty;
        return (hostIp, Text(port.GetProperty("published")), Text(port.GetProperty("target")));
    }

    private static string Text(JsonElement value) => value.ValueKind == JsonValueKind.Number ? value.GetRawText() : value.GetString()!;
}

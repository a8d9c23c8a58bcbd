using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Deployment;

/// <summary>
/// The kustomize base (one replica, SQLite) and the postgres overlay (several replicas) render with
/// <c>kubectl kustomize</c>, every object passes the Kubernetes schemas with unknown fields rejected
/// (tests/manifests/validate.mjs), and the rendered objects keep the deployment's contracts: ports, lifecycle
/// numbers, no demo mode, the settings ConfigMap, the admin port's NetworkPolicy, the ServiceMonitor.
/// </summary>
public sealed partial class KubernetesManifestTests
{
    private const string Base = "deploy/kubernetes/base";
    private const string Postgres = "deploy/kubernetes/overlays/postgres";

    [ToolTheory("kubectl", "node")]
    [InlineData(Base, "ConfigMap,Deployment,NetworkPolicy,PersistentVolumeClaim,Service,ServiceMonitor")]
    [InlineData(Postgres, "ConfigMap,Deployment,HorizontalPodAutoscaler,NetworkPolicy,PodDisruptionBudget,Service,ServiceMonitor")]
    public async Task Renders_and_every_object_passes_the_Kubernetes_schemas(string directory, string kinds)
    {
        var rendered = await RenderAsync(directory);

        var (exit, output) = await DeployTools.ValidateAsync(rendered);

        Assert.True(exit == 0, $"{directory} does not validate:\n{output}");
        var objects = await DeployTools.ParseYamlAsync(rendered);
        Assert.Equal(kinds, string.Join(',', objects.Select(o => o.GetProperty("kind").GetString()).Order(StringComparer.Ordinal)));
        Assert.Contains($"valid: {objects.Length} objects", output, StringComparison.Ordinal);
    }

    /// <summary>The validator's own negative test: a misspelt field, at any depth and in a CRD too, fails it.</summary>
    [ToolTheory("kubectl", "node")]
    [InlineData("imagePullPolicy", "imagePullPolice")]              // Deployment › pod › container
    [InlineData("revisionHistoryLimit", "revisionHistoryLimits")]   // Deployment spec
    [InlineData("sizeLimit: 1Gi", "sizeLimt: 1Gi")]                   // a volume's emptyDir
    [InlineData("averageUtilization", "averageUtilisation")]        // HorizontalPodAutoscaler
    [InlineData("maxUnavailable: 1", "maxUnavailabel: 1")]          // PodDisruptionBudget
    [InlineData("scrapeTimeout", "scrapeTimout")]                   // ServiceMonitor (monitoring.coreos.com CRD)
    [InlineData("namespaceSelector: {}", "namespaceSelecter: {}")]  // NetworkPolicy
    public async Task The_schema_check_rejects_an_unknown_field(string field, string misspelt)
    {
        var rendered = await RenderAsync(Postgres);
        var pattern = new Regex(@"(?m)^(\s*(?:- )?)" + Regex.Escape(field));
        Assert.True(pattern.Count(rendered) == 1, $"'{field}' should occur once in the rendered overlay");

        var (exit, output) = await DeployTools.ValidateAsync(pattern.Replace(rendered, "$1" + misspelt));

        Assert.True(exit == 1, $"a misspelt '{field}' passed:\n{output}");
        Assert.Contains($"'\"{misspelt.Split(':')[0]}\"' does not exist", output, StringComparison.Ordinal);
    }

    [ToolTheory("kubectl", "node")]
    [InlineData("replicas: 2", "replicas: two", "must be integer")]
    [InlineData("apiVersion: policy/v1", "apiVersion: policy/v2", "no schema for apiVersion policy/v2")]
    public async Task The_schema_check_rejects_a_wrong_type_and_an_unknown_kind(string line, string replacement, string expected)
    {
        var rendered = await RenderAsync(Postgres);
        Assert.Contains(line, rendered, StringComparison.Ordinal);

        var (exit, output) = await DeployTools.ValidateAsync(rendered.Replace(line, replacement, StringComparison.Ordinal));

        Assert.True(exit == 1, $"'{replacement}' passed:\n{output}");
        Assert.Contains(expected, output, StringComparison.Ordinal);
    }

    [ToolTheory("kubectl", "node")]
    [InlineData(Base)]
    [InlineData(Postgres)]
    public async Task The_gateway_keeps_the_ports_lifecycle_and_settings_contracts(string directory)
    {
        var objects = await DeployTools.ParseYamlAsync(await RenderAsync(directory));
        var pod = Single(objects, "Deployment").GetProperty("spec").GetProperty("template").GetProperty("spec");
        var container = pod.GetProperty("containers")[0];
        var env = container.GetProperty("env").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!, e => e);

        Assert.Equal(345, pod.GetProperty("terminationGracePeriodSeconds").GetInt32());
        Assert.Equal(5, container.GetProperty("lifecycle").GetProperty("preStop").GetProperty("sleep").GetProperty("seconds").GetInt32());
        Assert.Equal("330", env["DOTNET_shutdownTimeoutSeconds"].GetProperty("value").GetString());
        Assert.Equal("http://0.0.0.0:9090", env["Admin__Urls"].GetProperty("value").GetString());
        Assert.DoesNotContain("GATEWAY_DEMO", env.Keys);
        var upstreamKey = env["ROUTESCOPE_API_KEY"].GetProperty("valueFrom").GetProperty("secretKeyRef");
        Assert.False(upstreamKey.TryGetProperty("optional", out var optional) && optional.GetBoolean(), "the upstream key must be required");
        Assert.Equal(
            ["admin:9090", "http:8080"],
            container.GetProperty("ports").EnumerateArray().Select(p => $"{p.GetProperty("name").GetString()}:{p.GetProperty("containerPort").GetInt32()}").Order(StringComparer.Ordinal));
        Assert.Equal("http", container.GetProperty("readinessProbe").GetProperty("httpGet").GetProperty("port").GetString());
        Assert.True(pod.GetProperty("securityContext").GetProperty("runAsNonRoot").GetBoolean());
        Assert.True(container.GetProperty("securityContext").GetProperty("readOnlyRootFilesystem").GetBoolean());

        var volumes = pod.GetProperty("volumes").EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!, v => v);
        var tmp = volumes["tmp"].GetProperty("emptyDir");
        Assert.Equal("768Mi", tmp.GetProperty("sizeLimit").GetString());
        Assert.False(tmp.TryGetProperty("medium", out _), "spooled bodies on a memory-backed emptyDir would count against the memory limit");
        // The gateway refuses new spills before the kubelet would evict the pod for a full emptyDir.
        Assert.Equal("/tmp", env["Limits__TempDirectory"].GetProperty("value").GetString());
        Assert.InRange(long.Parse(env["Limits__MaxTempBytes"].GetProperty("value").GetString()!, CultureInfo.InvariantCulture), 1, (768L - 64) * 1024 * 1024);

        // appsettings.json reaches the pod from the generated ConfigMap, byte for byte the repository's.
        var mount = container.GetProperty("volumeMounts").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "settings");
        Assert.Equal("/app/appsettings.json", mount.GetProperty("mountPath").GetString());
        var configMapName = volumes["settings"].GetProperty("configMap").GetProperty("name").GetString();
        var configMap = Single(objects, "ConfigMap");
        Assert.Equal(configMapName, configMap.GetProperty("metadata").GetProperty("name").GetString());
        Assert.Equal(RootSettings(), configMap.GetProperty("data").GetProperty("appsettings.json").GetString());

        var service = Single(objects, "Service").GetProperty("spec").GetProperty("ports").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("targetPort").GetString());
        Assert.Equal("http", service["http"]);
        Assert.Equal("admin", service["admin"]);
        var scraped = Single(objects, "ServiceMonitor").GetProperty("spec").GetProperty("endpoints")[0];
        Assert.Equal("admin", scraped.GetProperty("port").GetString());
        Assert.Equal("/metrics", scraped.GetProperty("path").GetString());
    }

    [ToolFact("kubectl", "node")]
    public async Task The_admin_port_is_reachable_only_from_labelled_namespaces_the_public_port_from_any()
    {
        var objects = await DeployTools.ParseYamlAsync(await RenderAsync(Base));
        var policy = Single(objects, "NetworkPolicy").GetProperty("spec");

        var rules = policy.GetProperty("ingress").EnumerateArray()
            .ToDictionary(rule => rule.GetProperty("ports")[0].GetProperty("port").GetString()!, rule => rule.GetProperty("from"));
        Assert.Equal(["admin", "http"], rules.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("{}", rules["http"][0].GetProperty("namespaceSelector").GetRawText());
        var admin = Assert.Single(rules["admin"].EnumerateArray());
        Assert.Equal("true", admin.GetProperty("namespaceSelector").GetProperty("matchLabels").GetProperty("routescope.io/gateway-admin").GetString());
        Assert.False(admin.TryGetProperty("podSelector", out _));
    }

    [ToolFact("kubectl", "node")]
    public async Task The_postgres_overlay_runs_several_replicas_each_with_a_data_directory_of_its_own()
    {
        var objects = await DeployTools.ParseYamlAsync(await RenderAsync(Postgres));
        var deployment = Single(objects, "Deployment").GetProperty("spec");
        var pod = deployment.GetProperty("template").GetProperty("spec");
        var env = pod.GetProperty("containers")[0].GetProperty("env").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!, e => e);

        Assert.True(deployment.GetProperty("replicas").GetInt32() >= 2);
        Assert.Equal("RollingUpdate", deployment.GetProperty("strategy").GetProperty("type").GetString());
        Assert.Equal("ConnectionStrings__Gateway", env["ConnectionStrings__Gateway"].GetProperty("valueFrom").GetProperty("secretKeyRef").GetProperty("key").GetString());
        var data = pod.GetProperty("volumes").EnumerateArray().Single(v => v.GetProperty("name").GetString() == "data");
        Assert.True(data.TryGetProperty("emptyDir", out _), "each pod's journal needs a directory of its own");
        Assert.False(data.TryGetProperty("persistentVolumeClaim", out _));
        Assert.DoesNotContain(objects, o => o.GetProperty("kind").GetString() == "PersistentVolumeClaim");

        var hpa = Single(objects, "HorizontalPodAutoscaler").GetProperty("spec");
        Assert.Equal("routescope-gateway", hpa.GetProperty("scaleTargetRef").GetProperty("name").GetString());
        Assert.True(hpa.GetProperty("minReplicas").GetInt32() >= 2);
        var selector = Single(objects, "PodDisruptionBudget").GetProperty("spec").GetProperty("selector").GetProperty("matchLabels");
        var labels = deployment.GetProperty("template").GetProperty("metadata").GetProperty("labels");
        Assert.All(selector.EnumerateObject(), label => Assert.Equal(label.Value.GetString(), labels.GetProperty(label.Name).GetString()));
    }

    /// <summary>kustomize reads no file outside the base, so the base carries a copy of the root appsettings.json.</summary>
    [Fact]
    public void The_base_carries_the_repository_appsettings_json_unchanged()
    {
        var copy = File.ReadAllText(Path.Combine(RepositoryRoot.Path, Base, "appsettings.json"));

        Assert.True(copy == RootSettings(), "deploy/kubernetes/base/appsettings.json differs from the root appsettings.json: cp appsettings.json deploy/kubernetes/base/appsettings.json");
    }

    private static string RootSettings() => File.ReadAllText(Path.Combine(RepositoryRoot.Path, "appsettings.json"));

    private static JsonElement Single(JsonElement[] objects, string kind) => objects.Single(o => o.GetProperty("kind").GetString() == kind);

    private static async Task<string> RenderAsync(string directory)
    {
        var (exit, stdout, stderr) = await DeployTools.RunAsync("kubectl", ["kustomize", directory]);
        Assert.True(exit == 0, $"kubectl kustomize {directory} failed (kustomize v5 is needed, kubectl 1.27+):\n{stderr}");
        return stdout;
    }
}

using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

using Routescope.Fake;
using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Observability;

/// <summary>
/// The files under deploy/grafana and deploy/prometheus: the dashboard and the alert rules name only metrics the
/// gateway exports (read from a scrape after real traffic, not from a list), and both files have the shape Grafana and
/// Prometheus load.
/// </summary>
public sealed partial class MonitoringConfigTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private static readonly string Deploy = Path.Combine(RepositoryRoot.Path, "deploy");
    private static readonly string Dashboard = Path.Combine(Deploy, "grafana", "dashboards", "routescope-gateway.json");
    private static readonly string Alerts = Path.Combine(Deploy, "prometheus", "alerts.yml");

    [Fact]
    public async Task Every_metric_the_dashboard_and_the_alerts_query_is_one_the_gateway_exports()
    {
        var exported = (await ScrapeAfterTrafficAsync()).Names;
        var dashboard = DashboardMetrics();
        var alerts = AlertExpressions().SelectMany(PromQlMetricNames.In).ToHashSet(StringComparer.Ordinal);

        // Enough names were read for the check to mean something: every panel's, every rule's.
        Assert.True(dashboard.Count >= 15, "dashboard metrics found: " + string.Join(", ", dashboard));
        Assert.True(alerts.Count >= 8, "alert metrics found: " + string.Join(", ", alerts));
        var missing = dashboard.Concat(alerts).Where(name => !exported.Contains(name)).Distinct().Order(StringComparer.Ordinal).ToArray();
        Assert.True(missing.Length == 0, "not exported by the gateway: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_dashboard_is_a_provisionable_dashboard_on_the_provisioned_datasource()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Dashboard));
        var root = json.RootElement;
        var datasource = File.ReadAllText(Path.Combine(Deploy, "grafana", "provisioning", "datasources", "prometheus.yml"));
        var uid = DatasourceUid().Match(datasource).Groups[1].Value;
        var provider = File.ReadAllText(Path.Combine(Deploy, "grafana", "provisioning", "dashboards", "routescope.yml"));

        Assert.Contains("url: http://prometheus:9090", datasource, StringComparison.Ordinal);
        Assert.Contains("path: /var/lib/grafana/dashboards", provider, StringComparison.Ordinal);
        Assert.Equal("routescope-gateway", root.GetProperty("uid").GetString());
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("title").GetString()));
        Assert.True(root.GetProperty("schemaVersion").GetInt32() >= 36);
        var panels = root.GetProperty("panels").EnumerateArray().Where(p => p.GetProperty("type").GetString() != "row").ToArray();
        Assert.True(panels.Length >= 15, $"{panels.Length} panels");
        Assert.Equal(panels.Length, panels.Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());
        foreach (var panel in panels)
        {
            var title = panel.GetProperty("title").GetString();
            Assert.Equal(uid, panel.GetProperty("datasource").GetProperty("uid").GetString());
            var targets = panel.GetProperty("targets").EnumerateArray().ToArray();
            Assert.True(targets.Length > 0, title + " has no query");
            Assert.All(targets, t => Assert.False(string.IsNullOrWhiteSpace(t.GetProperty("expr").GetString()), title));
            var grid = panel.GetProperty("gridPos");
            Assert.InRange(grid.GetProperty("x").GetInt32() + grid.GetProperty("w").GetInt32(), 1, 24);
        }
    }

    [Fact]
    public void The_alert_rules_have_the_shape_prometheus_loads()
    {
        var lines = File.ReadAllLines(Alerts).Where(line => line.Trim().Length > 0 && !line.TrimStart().StartsWith('#')).ToArray();
        var alerts = lines.Select(line => AlertName().Match(line)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToArray();

        Assert.Equal("groups:", lines[0]);
        Assert.Contains(lines, line => GroupName().IsMatch(line));
        Assert.Contains(lines, line => line.Trim() == "rules:");
        Assert.Equal(alerts.Length, alerts.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(alerts.Length, AlertExpressions().Count);
        Assert.Equal(alerts.Length, lines.Count(line => SeverityLabel().IsMatch(line)));
        Assert.Equal(alerts.Length, lines.Count(line => line.Trim().StartsWith("summary:", StringComparison.Ordinal)));
        // The issue's alerts: breaker open, usage spilled or lost, backlog growing, budget hard stops, upstream 5xx.
        foreach (var expected in new[] { "GatewayCircuitBreakerOpen", "GatewayUsageInMemoryOnly", "GatewayUsageRecordsLost", "GatewayUsageStoreWritesFailing", "GatewayUsageBacklogGrowing", "GatewayBudgetHardStop", "GatewayUpstream5xxRate" })
        {
            Assert.Contains(expected, alerts);
        }

        var prometheus = File.ReadAllText(Path.Combine(Deploy, "prometheus", "prometheus.yml"));
        Assert.Contains("- /etc/prometheus/alerts.yml", prometheus, StringComparison.Ordinal);
        Assert.Contains("metrics_path: /metrics", prometheus, StringComparison.Ordinal);
        Assert.Contains("targets: [\"gateway:9090\"]", prometheus, StringComparison.Ordinal);
    }

    [ToolFact("promtool")]
    public async Task Promtool_accepts_the_alert_rules()
    {
        var promtool = ToolPath.Find("promtool");
        Assert.True(promtool is not null, "promtool is not on PATH (with CI=true this test must run): .ci/run installs Debian's prometheus package.");

        var (exit, output) = await ExternalProcess.RunAsync(promtool, ["check", "rules", Alerts], Deploy, null, TimeSpan.FromSeconds(60));

        Assert.True(exit == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    /// <summary>A scrape after a served request, a fallback, a policy refusal and a budget hard stop, so their series exist.</summary>
    private async Task<PrometheusScrape> ScrapeAfterTrafficAsync()
    {
        var key = await gateway.CreateKeyAsync("monitoring", "monitoring");
        var capped = await gateway.CreateKeyAsync("monitoring-capped", "monitoring");
        using var admin = gateway.AdminClient();
        (await admin.PatchAsync(new Uri("/admin/keys/" + capped.Id, UriKind.Relative),
            new StringContent("""{"allowedModels":["gemini-2.5-*"],"monthlyBudgetUsd":0}""", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        await SendAsync(GeminiRequests.Generate(key.Key), HttpStatusCode.OK);
        using (var failing = GeminiRequests.Generate(key.Key, "gemini-3.1-flash-image-preview"))
        {
            var id = GeminiRequests.RequestId(failing);
            gateway.Upstream.Script = r => r.Header("x-request-id") == id && r.Model == "gemini-3.1-flash-image-preview" ? new FakeScriptedResponse { StatusCode = 503 } : null;
            try
            {
                await SendAsync(failing, HttpStatusCode.OK);
            }
            finally
            {
                gateway.Upstream.Script = null;
            }
        }

        await SendAsync(GeminiRequests.Generate(capped.Key, "gemini-3.1-flash-image-preview"), HttpStatusCode.Forbidden);
        await SendAsync(GeminiRequests.Generate(capped.Key), HttpStatusCode.TooManyRequests);
        // The hard stop's notice is counted as it is handled, in the background.
        PrometheusScrape? scrape = null;
        await Eventually.TrueAsync(async () => (scrape = await PrometheusScrape.FetchAsync(gateway.Client)).Names.Any(name => name.StartsWith("gateway_budget_notices", StringComparison.Ordinal)));
        return scrape!;
    }

    private Task SendAsync(HttpRequestMessage request, HttpStatusCode expected) => GatewayCalls.SendExpectingAsync(gateway, request, expected);

    private static HashSet<string> DashboardMetrics()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Dashboard));
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var panel in json.RootElement.GetProperty("panels").EnumerateArray())
        {
            if (panel.TryGetProperty("targets", out var targets))
            {
                foreach (var target in targets.EnumerateArray())
                {
                    names.UnionWith(PromQlMetricNames.In(target.GetProperty("expr").GetString()!));
                }
            }
        }

        foreach (var variable in json.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray())
        {
            var query = variable.GetProperty("query");
            var text = query.ValueKind == JsonValueKind.Object ? query.GetProperty("query").GetString()! : query.GetString()!;
            var metric = PromQlMetricNames.OfLabelValues(text);
            Assert.True(metric is not null, "a variable query that is not label_values(metric, label): " + text);
            names.Add(metric);
        }

        return names;
    }

    /// <summary>Every rule's <c>expr</c>, a one-line value or a block scalar (<c>expr: |</c> and the lines indented under it).</summary>
    private static List<string> AlertExpressions()
    {
        var lines = File.ReadAllLines(Alerts);
        var expressions = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            var match = ExprLine().Match(lines[i]);
            if (!match.Success)
            {
                continue;
            }

            var value = match.Groups[2].Value.Trim();
            if (value is not ("|" or ">"))
            {
                expressions.Add(value);
                continue;
            }

            var indent = match.Groups[1].Value.Length;
            var block = new StringBuilder();
            while (i + 1 < lines.Length && (lines[i + 1].Trim().Length == 0 || lines[i + 1].Length - lines[i + 1].TrimStart().Length > indent))
            {
                block.AppendLine(lines[++i].Trim());
            }

            Assert.True(block.ToString().Trim().Length > 0, "an empty block expression after line " + (i + 1));
            expressions.Add(block.ToString());
        }

        return expressions;
    }

    [GeneratedRegex(@"^(\s*)expr:(.*)$")]
    private static partial Regex ExprLine();

    [GeneratedRegex(@"^\s*- alert: ([A-Za-z][A-Za-z0-9_]*)$")]
    private static partial Regex AlertName();

    [GeneratedRegex(@"^\s*- name: \S+$")]
    private static partial Regex GroupName();

    [GeneratedRegex(@"^\s*severity: (critical|warning|info)$")]
    private static partial Regex SeverityLabel();

    [GeneratedRegex(@"uid: (\S+)")]
    private static partial Regex DatasourceUid();
}

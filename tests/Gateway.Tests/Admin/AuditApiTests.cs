using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

using Microsoft.Extensions.DependencyInjection;

using Routescope.Gateway.Cli;
using Routescope.Gateway.Keys;
using Routescope.Gateway.Storage;
using Routescope.Gateway.Storage.Postgres;
using Routescope.Gateway.Storage.Sqlite;
using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Admin;

/// <summary>A gateway whose admin token is named <c>ops</c>, on SQLite or on a PostgreSQL database of its own.</summary>
public class AuditFixture : GatewayFixture
{
    protected virtual bool OnPostgres => false;

    private string? _connectionString;

    public override async Task InitializeAsync()
    {
        if (OnPostgres)
        {
            _connectionString = await TestPostgres.CreateDatabaseAsync();
        }

        await base.InitializeAsync();
        Assert.Equal(OnPostgres ? typeof(PostgresMigrator) : typeof(SqliteMigrator), Factory.Services.GetRequiredService<IStoreMigrator>().GetType());
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_connectionString is not null)
        {
            await TestPostgres.DropDatabaseAsync(_connectionString);
        }
    }

    protected override GatewayFactory CreateFactory(Dictionary<string, string?> settings)
    {
        settings["Admin:TokenName"] = "ops";
        if (_connectionString is not null)
        {
            settings["ConnectionStrings:Gateway"] = _connectionString;
        }

        return new GatewayFactory(settings);
    }
}

public sealed class PostgresAuditFixture : AuditFixture
{
    protected override bool OnPostgres => true;
}

public sealed class SqliteAuditApiTests(AuditFixture gateway) : AuditApiTests(gateway), IClassFixture<AuditFixture>;

public sealed class PostgresAuditApiTests(PostgresAuditFixture gateway) : AuditApiTests(gateway), IClassFixture<PostgresAuditFixture>;

/// <summary>Who changed which key or group, and how, as <c>GET /admin/audit</c> shows it; never the key.</summary>
public abstract class AuditApiTests(AuditFixture gateway)
{
    [Fact]
    public async Task Key_creation_policy_change_group_put_and_revocation_are_audited_with_who_and_what()
    {
        using var admin = gateway.AdminClient();
        var group = "aud-" + Guid.NewGuid().ToString("N")[..8];
        using var created = await admin.PostAsJsonAsync("/admin/keys", new { name = "audited", group, rpm = 10 });
        var id = Id(await created.Content.ReadAsStringAsync());
        (await admin.PatchAsync(new Uri("/admin/keys/" + id, UriKind.Relative), Json("""{"rpm":20,"monthlyBudgetUsd":12.5}"""))).Dispose();
        (await admin.PutAsync(new Uri("/admin/groups/" + group, UriKind.Relative), Json("""{"concurrency":3}"""))).Dispose();
        (await admin.DeleteAsync(new Uri("/admin/keys/" + id, UriKind.Relative))).Dispose();

        var forKey = await EntriesAsync(admin, "?keyId=" + id);
        var groupEntry = (await EntriesAsync(admin, "")).First(e => e.GetProperty("action").GetString() == "group.put" && e.GetProperty("group").GetString() == group);

        Assert.Equal(["key.revoke", "key.policy", "key.create"], forKey.Select(e => e.GetProperty("action").GetString()));
        Assert.All(forKey, entry =>
        {
            Assert.Equal("admin:ops", entry.GetProperty("actor").GetString());
            Assert.Equal("127.0.0.1", entry.GetProperty("origin").GetString());
            Assert.Equal("audited", entry.GetProperty("keyName").GetString());
            Assert.Equal(group, entry.GetProperty("group").GetString());
            Assert.True(entry.GetProperty("at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
        });
        Assert.Equal([("rpm", null, "10")], Changes(forKey[2]));
        Assert.Equal([("rpm", "10", "20"), ("monthlyBudgetUsd", null, "12.5")], Changes(forKey[1]));
        Assert.Equal("revokedAt", Assert.Single(Changes(forKey[0])).Field);
        Assert.Equal([("concurrency", null, "3")], Changes(groupEntry));
        Assert.Contains(gateway.Logs.Lines, line => line.Contains("\"Id\":10001", StringComparison.Ordinal) && line.Contains(id, StringComparison.Ordinal)
            && line.Contains("key.revoke", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_cli_is_audited_as_cli_with_the_os_user()
    {
        var group = "cli-" + Guid.NewGuid().ToString("N")[..8];
        var (exit, stdout, _) = await CliAsync("keys", "create", "--name", "by-cli", "--group", group);
        Assert.Equal(0, exit);
        using var admin = gateway.AdminClient();
        var id = (await EntriesAsync(admin, "")).First(e => e.GetProperty("keyName").GetString() == "by-cli" && e.GetProperty("group").GetString() == group).GetProperty("keyId").GetString()!;
        Assert.Equal(0, (await CliAsync("keys", "set", id, "--rpm", "7")).Exit);
        Assert.Equal(0, (await CliAsync("groups", "set", group, "--rpm", "3")).Exit);
        Assert.Equal(0, (await CliAsync("keys", "revoke", id)).Exit);

        var forKey = await EntriesAsync(admin, "?keyId=" + id);
        var groupEntry = (await EntriesAsync(admin, "")).First(e => e.GetProperty("action").GetString() == "group.put" && e.GetProperty("group").GetString() == group);

        Assert.Equal(["key.revoke", "key.policy", "key.create"], forKey.Select(e => e.GetProperty("action").GetString()));
        Assert.All(forKey.Append(groupEntry), entry =>
        {
            Assert.Equal("cli", entry.GetProperty("actor").GetString());
            Assert.Equal(Environment.UserName + "@" + Environment.MachineName, entry.GetProperty("origin").GetString());
        });
        Assert.Equal([("rpm", null, "7")], Changes(forKey[1]));
        Assert.Equal([("rpm", null, "3")], Changes(groupEntry));
        Assert.DoesNotContain(stdout.Trim(), await admin.GetStringAsync(new Uri("/admin/audit?keyId=" + id, UriKind.Relative)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_key_and_its_hash_never_appear_in_the_audit_log_or_its_log_lines()
    {
        var viaApi = await gateway.CreateKeyAsync("secret-api");
        var (_, stdout, _) = await CliAsync("keys", "create", "--name", "secret-cli");
        var viaCli = stdout.Trim();
        Assert.True(GatewayKeyFormat.IsWellFormed(viaCli));
        using var admin = gateway.AdminClient();
        (await admin.DeleteAsync(new Uri("/admin/keys/" + viaApi.Id, UriKind.Relative))).Dispose();

        var body = await admin.GetStringAsync(new Uri("/admin/audit?limit=1000", UriKind.Relative));
        var logs = string.Join('\n', gateway.Logs.Lines);

        Assert.Contains(viaApi.Id, body, StringComparison.Ordinal);
        Assert.Contains("secret-cli", body, StringComparison.Ordinal);
        foreach (var secret in new[] { viaApi.Key, GatewayKeyFormat.Hash(viaApi.Key), viaCli, GatewayKeyFormat.Hash(viaCli), GatewayFixture.AdminToken })
        {
            Assert.DoesNotContain(secret, body, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Pages_follow_each_other_newest_first_and_the_time_filter_bounds_them()
    {
        using var admin = gateway.AdminClient();
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var group = "page-" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 5; i++)
        {
            (await admin.PutAsync(new Uri("/admin/groups/" + group, UriKind.Relative), Json($$"""{"rpm":{{i + 1}}}"""))).Dispose();
        }

        var seen = new List<JsonElement>();
        var next = $"/admin/audit?limit=2&from={Uri.EscapeDataString(before.ToString("O"))}";
        while (next is not null && seen.Count < 50)
        {
            using var json = JsonDocument.Parse(await admin.GetStringAsync(new Uri(next, UriKind.Relative)));
            var page = json.RootElement.GetProperty("entries").EnumerateArray().Select(e => e.Clone()).ToArray();
            Assert.True(page.Length <= 2);
            seen.AddRange(page);
            next = json.RootElement.TryGetProperty("next", out var link) ? link.GetString() : null;
        }

        var mine = seen.Where(e => e.GetProperty("group").ValueKind == JsonValueKind.String && e.GetProperty("group").GetString() == group).ToArray();
        Assert.Equal(["5", "4", "3", "2", "1"], mine.Select(e => Changes(e).Single().New));
        Assert.Equal(seen.Select(e => e.GetProperty("id").GetInt64()).OrderDescending(), seen.Select(e => e.GetProperty("id").GetInt64()));
        Assert.All(seen, e => Assert.True(e.GetProperty("at").GetDateTimeOffset() >= before));
        Assert.Empty(await EntriesAsync(admin, "?to=" + Uri.EscapeDataString(before.AddYears(-10).ToString("O")) + "&from=2000-01-01"));
    }

    [Theory]
    [InlineData("?limit=0")]
    [InlineData("?limit=1001")]
    [InlineData("?limit=ten")]
    [InlineData("?before=-3")]
    [InlineData("?from=yesterday")]
    [InlineData("?to=2026-01-01T00:00:00")]
    public async Task A_bad_query_is_a_400_naming_the_parameter(string query)
    {
        using var admin = gateway.AdminClient();
        using var response = await admin.GetAsync(new Uri("/admin/audit" + query, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith(query[1..query.IndexOf('=', StringComparison.Ordinal)] + ":", json.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_audit_log_needs_the_admin_token()
    {
        using var response = await gateway.Client.GetAsync(new Uri("/admin/audit", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static string Id(string body)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<JsonElement[]> EntriesAsync(HttpClient admin, string query)
    {
        using var json = JsonDocument.Parse(await admin.GetStringAsync(new Uri("/admin/audit" + query, UriKind.Relative)));
        return json.RootElement.GetProperty("entries").EnumerateArray().Select(e => e.Clone()).ToArray();
    }

    private static (string Field, string? Old, string? New)[] Changes(JsonElement entry) =>
        entry.GetProperty("changes").EnumerateArray()
            .Select(c => (c.GetProperty("field").GetString()!, c.TryGetProperty("old", out var o) ? o.GetString() : null, c.TryGetProperty("new", out var n) ? n.GetString() : null))
            .ToArray();

    private async Task<(int Exit, string Stdout, string Stderr)> CliAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await GatewayCli.RunAsync(gateway.Factory.Services, args, output, error, CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }
}

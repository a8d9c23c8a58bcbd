using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

using Routescope.Fake;

namespace Routescope.Gateway.Tests.Infrastructure;

/// <summary>
/// A fake Routescope upstream and a gateway in front of it, with its own data directory. One per test class; tests
/// tell their requests apart by <c>x-request-id</c>, which the gateway passes upstream.
/// </summary>
public class GatewayFixture : IAsyncLifetime
{
    public const string UpstreamKey = "upstream-secret-7c1d9e0f2a4b";
    public const string AdminToken = "admin-token-5e8f1a2b3c4d5e6f";

    public FakeUpstream Upstream { get; private set; } = null!;
    public GatewayFactory Factory { get; private set; } = null!;
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "rsg-tests", Guid.NewGuid().ToString("N"));

    /// <summary>A client with no credentials, addressed at the gateway.</summary>
    public HttpClient Client { get; private set; } = null!;

    public CapturedLogs Logs => Factory.Logs;

    public virtual async Task InitializeAsync()
    {
        Upstream = await FakeUpstream.StartAsync(new FakeUpstreamOptions { ApiKey = UpstreamKey });
        Factory = CreateFactory(Settings());
        Client = new HttpClient { BaseAddress = Factory.Address, Timeout = TimeSpan.FromMinutes(2) };
    }

    public virtual async Task DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
        await Upstream.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The settings a deployment would put in its environment.</summary>
    public Dictionary<string, string?> Settings() => new()
    {
        ["ROUTESCOPE_BASE_URL"] = Upstream.BaseAddress.ToString(),
        ["ROUTESCOPE_API_KEY"] = UpstreamKey,
        ["GATEWAY_ADMIN_TOKEN"] = AdminToken,
        ["GATEWAY_DATA_DIR"] = DataDirectory,
    };

    /// <summary>
    /// The settings of another replica of this gateway: the same store (on SQLite, this gateway's database file), but a
    /// data directory, and so a usage journal, of its own (inside this one's, so it goes with it).
    /// </summary>
    public Dictionary<string, string?> ReplicaSettings(string name)
    {
        var settings = Settings();
        settings["GATEWAY_DATA_DIR"] = Path.Combine(DataDirectory, name);
        settings.TryAdd("ConnectionStrings:Gateway", "Data Source=" + Path.Combine(DataDirectory, "gateway.db"));
        return settings;
    }

    protected virtual GatewayFactory CreateFactory(Dictionary<string, string?> settings) => new(settings);

    /// <summary>An admin client of this fixture's gateway, or of another replica at <paramref name="address"/>.</summary>
    public HttpClient AdminClient(Uri? address = null)
    {
        var client = new HttpClient { BaseAddress = address ?? Factory.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        return client;
    }

    public async Task<CreatedKey> CreateKeyAsync(string name = "team-a", string? group = null, DateTimeOffset? expiresAt = null, Uri? replica = null)
    {
        using var admin = AdminClient(replica);
        using var response = await admin.PostAsJsonAsync("/admin/keys", new { name, group, expiresAt });
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        return new CreatedKey(root.GetProperty("id").GetString()!, root.GetProperty("key").GetString()!, root.GetProperty("prefix").GetString()!);
    }

    /// <summary>What the upstream received for the request with this id.</summary>
    public IReadOnlyList<ReceivedRequest> UpstreamReceived(string requestId) =>
        Upstream.Received.Where(request => request.Header("x-request-id") == requestId).ToArray();

    /// <summary>The upstream's ledger entries (what it billed) for the request with this id.</summary>
    public IReadOnlyList<FakeLedgerEntry> UpstreamLedger(string requestId) =>
        Upstream.Ledger.Where(entry => entry.RequestId == requestId).ToArray();
}

public sealed record CreatedKey(string Id, string Key, string Prefix);

using System.Net;
using System.Net.Http.Json;

using Microsoft.Extensions.DependencyInjection;

using Routescope.Gateway.Policy.Replicas;
using Routescope.Gateway.Tests.Infrastructure;
using Routescope.Gateway.Tests.Usage;

namespace Routescope.Gateway.Tests.Policy;

/// <summary>Replicas sharing a store split every key's rpm and concurrency: the shares add up to the figure.</summary>
public abstract class ReplicaLimitTests(UsageFixture gateway) : IAsyncLifetime
{
    private readonly UsageFixture _gateway = gateway;

    public Task InitializeAsync() => _gateway.InitializeAsync();

    public Task DisposeAsync() => _gateway.DisposeAsync();

    [Fact]
    public async Task Two_more_replicas_on_one_store_admit_their_shares_and_no_more()
    {
        var key = await _gateway.CreateKeyAsync("shared-rpm");
        using (var admin = _gateway.AdminClient())
        {
            (await admin.PatchAsJsonAsync($"/admin/keys/{key.Id}", new { rpm = 6 })).EnsureSuccessStatusCode();
        }

        await using var first = new GatewayFactory(Replica("a"));
        await using var second = new GatewayFactory(Replica("b"));
        using var a = new HttpClient { BaseAddress = first.Address };
        using var b = new HttpClient { BaseAddress = second.Address };
        // With the fixture's own gateway, three replicas: each takes 2 of the 6.
        await Eventually.TrueAsync(() => Replicas(first) == 3 && Replicas(second) == 3 && Replicas(_gateway.Factory) == 3, TimeSpan.FromSeconds(20));

        var fromA = await AdmittedAsync(a, key.Key, 4);
        var fromB = await AdmittedAsync(b, key.Key, 4);

        Assert.Equal((2, 2), (fromA, fromB));
    }

    private static int Replicas(GatewayFactory factory) => factory.Services.GetRequiredService<ReplicaShare>().Replicas;

    private static async Task<int> AdmittedAsync(HttpClient client, string key, int count)
    {
        var admitted = 0;
        for (var i = 0; i < count; i++)
        {
            using var request = GeminiRequests.Generate(key, model: "gemini-2.5-flash-image");
            using var response = await client.SendAsync(request);
            admitted += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"{(int)response.StatusCode}");
        }

        return admitted;
    }

    /// <summary>Another replica of the fixture's gateway: the same store, a data directory of its own, a quick heartbeat.</summary>
    private Dictionary<string, string?> Replica(string name)
    {
        var settings = _gateway.StoreSettings();
        settings["GATEWAY_DATA_DIR"] = Path.Combine(_gateway.DataDirectory, name);
        settings["ConnectionStrings:Gateway"] ??= "Data Source=" + Path.Combine(_gateway.DataDirectory, "gateway.db");
        settings["Replicas:HeartbeatInterval"] = "00:00:00.200";
        return settings;
    }
}

public sealed class SqliteReplicaLimitTests() : ReplicaLimitTests(new UsageFixture());

public sealed class PostgresReplicaLimitTests() : ReplicaLimitTests(new PostgresUsageFixture());

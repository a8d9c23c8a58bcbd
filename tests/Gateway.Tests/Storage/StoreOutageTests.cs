using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

using Microsoft.Data.Sqlite;

using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Storage;

/// <summary>
/// The store really gone under a running gateway (its SQLite file replaced by a directory, so every open fails): a
/// replica that still holds keys keeps serving and says "degraded" with 200; for a key it holds no fresh entry for
/// (never read, or older than Keys:CacheTtl), callers, the admin API and budgets get a retryable 503 UNAVAILABLE, never
/// a 500, and without any cached key readiness turns 503 with a body that agrees.
/// </summary>
public sealed partial class StoreOutageTests : IAsyncLifetime
{
    private readonly GatewayFixture _gateway = new();

    public Task InitializeAsync() => _gateway.InitializeAsync();

    public Task DisposeAsync() => _gateway.DisposeAsync();

    [Fact]
    public async Task During_an_outage_a_replica_with_cached_keys_serves_and_readiness_says_degraded_with_200()
    {
        var key = await _gateway.CreateKeyAsync("cached");
        await AssertServedAsync(key.Key);

        BreakStore();
        var (status, body) = await ReadinessAsync();
        await AssertServedAsync(key.Key);
        var metrics = await _gateway.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("degraded", body.GetProperty("status").GetString());
        Assert.Contains("store unreachable", body.GetProperty("checks").GetProperty("store").GetString(), StringComparison.Ordinal);
        Assert.Equal("ok", body.GetProperty("checks").GetProperty("lifecycle").GetString());
        Assert.Matches(StoreGauge(0), metrics);
    }

    [Fact]
    public async Task Without_a_cached_key_callers_and_the_admin_api_get_a_retryable_503_and_readiness_fails()
    {
        // Created, never used: this replica holds no entry for it, as once an entry outlived Keys:CacheTtl.
        var key = await _gateway.CreateKeyAsync("uncached");
        Assert.Matches(StoreGauge(1), await _gateway.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative)));

        BreakStore();

        using (var request = GeminiRequests.Generate(key.Key))
        using (var response = await _gateway.Client.SendAsync(request))
        {
            await GeminiErrorAssert.IsErrorAsync(response, HttpStatusCode.ServiceUnavailable, "UNAVAILABLE");
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.Empty(_gateway.UpstreamReceived(GeminiRequests.RequestId(request)));
        }

        using (var admin = _gateway.AdminClient())
        using (var response = await admin.GetAsync(new Uri("/admin/keys", UriKind.Relative)))
        {
            await GeminiErrorAssert.IsErrorAsync(response, HttpStatusCode.ServiceUnavailable, "UNAVAILABLE");
            Assert.NotNull(response.Headers.RetryAfter);
        }

        var (status, body) = await ReadinessAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("unavailable", body.GetProperty("status").GetString());
        Assert.Contains("no key is cached", body.GetProperty("checks").GetProperty("store").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(_gateway.Logs.Lines, line => line.Contains("\"Id\":1001", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_budget_the_store_cannot_check_is_a_retryable_503()
    {
        var key = await _gateway.CreateKeyAsync("budgeted");
        using (var admin = _gateway.AdminClient())
        using (var patch = await admin.PatchAsJsonAsync($"/admin/keys/{key.Id}", new { monthlyBudgetUsd = 100m }))
        {
            patch.EnsureSuccessStatusCode();
        }

        await AssertServedAsync(key.Key);
        BreakStore();

        using var request = GeminiRequests.Generate(key.Key);
        using var response = await _gateway.Client.SendAsync(request);
        await GeminiErrorAssert.IsErrorAsync(response, HttpStatusCode.ServiceUnavailable, "UNAVAILABLE");
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Empty(_gateway.UpstreamReceived(GeminiRequests.RequestId(request)));
    }

    private async Task AssertServedAsync(string key)
    {
        using var request = GeminiRequests.Generate(key);
        using var response = await _gateway.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> ReadinessAsync()
    {
        using var response = await _gateway.Client.GetAsync(new Uri("/readyz", UriKind.Relative));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, json.RootElement.Clone());
    }

    /// <summary>The database file becomes a directory: every open, ping and query fails as on a lost volume.</summary>
    private void BreakStore()
    {
        var database = Path.Combine(_gateway.DataDirectory, "gateway.db");
        // The usage writer may open (and so create) the file again between the delete and the directory: try again.
        for (var attempt = 0; !Directory.Exists(database); attempt++)
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { database, database + "-wal", database + "-shm" })
            {
                File.Delete(file);
            }

            try
            {
                Directory.CreateDirectory(database);
            }
            catch (IOException) when (attempt < 20)
            {
            }
        }
    }

    private static Regex StoreGauge(int value) => new($@"(?m)^gateway_store_available(\{{[^}}]*\}})? {value}(\s|$)");
}

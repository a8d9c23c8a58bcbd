using System.Net;

using Microsoft.Data.Sqlite;

using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Observability;

public sealed class HealthTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task Health_endpoints_answer_without_credentials(string path)
    {
        using var response = await gateway.Client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"status\":\"ok\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

/// <summary>A gateway whose data directory disappears under it.</summary>
public sealed class LostStoreTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Readiness_fails_when_the_store_is_unreachable_while_liveness_holds()
    {
        using (var ready = await gateway.Client.GetAsync(new Uri("/readyz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(gateway.DataDirectory, recursive: true);

        using var notReady = await gateway.Client.GetAsync(new Uri("/readyz", UriKind.Relative));
        using var alive = await gateway.Client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        var body = await notReady.Content.ReadAsStringAsync();
        Assert.Contains("store unreachable", body, StringComparison.Ordinal);
        Assert.DoesNotContain(gateway.DataDirectory, body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }
}

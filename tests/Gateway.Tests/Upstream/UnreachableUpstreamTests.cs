using System.Net;
using System.Net.Sockets;

using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Upstream;

/// <summary>A gateway whose upstream refuses connections.</summary>
public sealed class UnreachableUpstreamFixture : GatewayFixture
{
    protected override GatewayFactory CreateFactory(Dictionary<string, string?> settings)
    {
        settings["ROUTESCOPE_BASE_URL"] = "http://127.0.0.1:" + ClosedPort();
        return base.CreateFactory(settings);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

public sealed class UnreachableUpstreamTests(UnreachableUpstreamFixture gateway) : IClassFixture<UnreachableUpstreamFixture>
{
    [Fact]
    public async Task An_unreachable_upstream_gives_a_Gemini_style_502()
    {
        var key = await gateway.CreateKeyAsync();
        using var response = await gateway.Client.SendAsync(GeminiRequests.Generate(key.Key));

        await GeminiErrorAssert.IsErrorAsync(response, HttpStatusCode.BadGateway, "UNAVAILABLE");
        Assert.True(response.Headers.Contains("x-request-id"));
    }
}

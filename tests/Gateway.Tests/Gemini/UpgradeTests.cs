using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

using Routescope.Gateway.Gemini;
using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Gemini;

/// <summary>
/// A request asking to leave HTTP is refused on every proxied path: YARP would tunnel it to the upstream with the
/// upstream's key, and nothing in a tunnel is inspected or metered.
/// </summary>
public sealed class UpgradeTests(StrictRequestFixture gateway) : IClassFixture<StrictRequestFixture>
{
    private const string Model = StrictRequestFixture.Pro3;

    public static TheoryData<string, string, string> Upgrades => new()
    {
        { "GET", "/v1beta/models", "Upgrade: websocket|Connection: Upgrade|Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==|Sec-WebSocket-Version: 13" },
        { "GET", $"/v1/models/{Model}", "Upgrade: websocket|Connection: keep-alive, Upgrade|Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==|Sec-WebSocket-Version: 13" },
        { "GET", "/v1beta/models", "Upgrade: h2c|Connection: Upgrade, HTTP2-Settings|HTTP2-Settings: AAMAAABkAAQAAP__" },
        { "POST", $"/v1beta/models/{Model}:generateContent", "Upgrade: websocket" },
        { "POST", $"/v1beta/models/{Model}:streamGenerateContent?alt=sse", "Upgrade: h2c" },
        { "GET", "/v1beta/models", "Connection: Upgrade" },
    };

    [Theory]
    [MemberData(nameof(Upgrades))]
    public async Task An_upgrade_request_is_refused_naming_Upgrade_and_never_forwarded(string method, string target, string upgradeHeaders)
    {
        var key = await gateway.CreateKeyAsync("upgrade");
        var id = GeminiRequests.NewRequestId();
        var headers = new Dictionary<string, string> { ["x-goog-api-key"] = key.Key, ["x-request-id"] = id, ["Content-Type"] = "application/json" };
        foreach (var header in upgradeHeaders.Split('|'))
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            headers[header[..colon]] = header[(colon + 1)..].Trim();
        }

        var (status, body) = await RawHttp.SendAsync(gateway.Factory.Address, method, target, headers, method == "POST" ? GeminiRequests.TextOnlyBody : "");

        Assert.Equal(400, status);
        Assert.Contains("Upgrade", GeminiErrorAssert.IsError(body, 400, "INVALID_ARGUMENT"), StringComparison.Ordinal);
        Assert.Empty(gateway.UpstreamReceived(id));
        await gateway.AssertServedByAsync(key.Key, Model);
    }

    [Fact]
    public void An_http2_extended_connect_is_an_upgrade()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Connect;
        Assert.False(ProtocolUpgrade.IsRequested(context));

        context.Features.Set<IHttpExtendedConnectFeature>(new ExtendedConnect());

        Assert.True(ProtocolUpgrade.IsRequested(context));
    }

    private sealed class ExtendedConnect : IHttpExtendedConnectFeature
    {
        public bool IsExtendedConnect => true;

        public string? Protocol => "websocket";

        public ValueTask<Stream> AcceptAsync() => throw new NotSupportedException();
    }
}

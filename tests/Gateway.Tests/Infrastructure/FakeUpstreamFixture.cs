using System.Net;

using Routescope.Fake;

namespace Routescope.Gateway.Tests.Infrastructure;

/// <summary>
/// The fake upstream alone on a loopback port, and a client that talks to it as the gateway does: with the upstream
/// key, and without decoding bodies, so tests see the bytes exactly as sent.
/// </summary>
public sealed class FakeUpstreamFixture : IAsyncLifetime
{
    public const string ApiKey = "fake-upstream-key-9d2c4b7e";

    public FakeUpstream Upstream { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Upstream = await FakeUpstream.StartAsync(new FakeUpstreamOptions { ApiKey = ApiKey });
        Client = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None })
        {
            BaseAddress = Upstream.BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Upstream.DisposeAsync();
    }

    /// <summary>Sends a request that must succeed, reads its whole body as sent, and waits for its ledger entry.</summary>
    public async Task<(byte[] Body, FakeLedgerEntry Entry)> AnswerAsync(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var response = await Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsByteArrayAsync();
        return (body, await SettledAsync(request.Headers.GetValues("x-request-id").Single()));
    }

    /// <summary>The ledger entry of the request with this id, once its answer has ended (delivered or not).</summary>
    public async Task<FakeLedgerEntry> SettledAsync(string requestId)
    {
        FakeLedgerEntry? entry = null;
        await Eventually.TrueAsync(() => (entry = Upstream.Ledger.SingleOrDefault(e => e.RequestId == requestId)) is { Delivery: not FakeDelivery.Pending });
        return entry!;
    }
}

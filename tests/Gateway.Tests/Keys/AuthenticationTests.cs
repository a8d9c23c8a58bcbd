using System.Net;

using Microsoft.Extensions.Time.Testing;

using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Keys;

/// <summary>A gateway on a clock the tests move, and a second replica sharing its store.</summary>
public sealed class TwoReplicaFixture : GatewayFixture
{
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);
    public FakeTimeProvider OtherTime { get; } = new(DateTimeOffset.UtcNow);
    public GatewayFactory Other { get; private set; } = null!;
    public HttpClient OtherClient { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Other = new GatewayFactory(ReplicaSettings("other"), OtherTime);
        OtherClient = new HttpClient { BaseAddress = Other.Address };
    }

    public override async Task DisposeAsync()
    {
        OtherClient.Dispose();
        await Other.DisposeAsync();
        await base.DisposeAsync();
    }

    protected override GatewayFactory CreateFactory(Dictionary<string, string?> settings) => new(settings, Time);
}

public sealed class AuthenticationTests(TwoReplicaFixture gateway) : IClassFixture<TwoReplicaFixture>
{
    [Theory]
    [InlineData(GeminiRequests.Credential.Bearer)]
    [InlineData(GeminiRequests.Credential.GoogApiKey)]
    public async Task Each_credential_form_is_accepted(GeminiRequests.Credential credential)
    {
        var key = await gateway.CreateKeyAsync("forms");
        using var response = await gateway.Client.SendAsync(GeminiRequests.Generate(key.Key, credential: credential));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_request_without_a_key_is_refused_and_never_forwarded()
    {
        using var request = GeminiRequests.Generate(key: null);
        using var response = await gateway.Client.SendAsync(request);

        var message = await GeminiErrorAssert.IsErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHENTICATED");
        Assert.Contains("x-goog-api-key", message, StringComparison.Ordinal);
        Assert.Empty(gateway.UpstreamReceived(GeminiRequests.RequestId(request)));
    }

    [Theory]
    [InlineData("rsg_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // well formed, never issued
    [InlineData("rsg_short")]
    [InlineData("not-a-gateway-key")]
    [InlineData(GatewayFixture.UpstreamKey)]
    public async Task An_unknown_key_is_refused_and_never_forwarded(string presented)
    {
        foreach (var credential in new[] { GeminiRequests.Credential.Bearer, GeminiRequests.Credential.GoogApiKey })
        {
            using var request = GeminiRequests.Generate(presented, credential: credential);
            using var response = await gateway.Client.SendAsync(request);

            await GeminiErrorAssert.IsErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHENTICATED");
            Assert.Empty(gateway.UpstreamReceived(GeminiRequests.RequestId(request)));
        }
    }

    [Fact]
    public async Task A_non_bearer_authorization_is_refused()
    {
        var key = await gateway.CreateKeyAsync("basic");
        using var request = GeminiRequests.Generate(key: null);
        request.Headers.TryAddWithoutValidation("Authorization", "Basic " + key.Key);
        using var response = await gateway.Client.SendAsync(request);

        await GeminiErrorAssert.IsErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHENTICATED");
        Assert.Empty(gateway.UpstreamReceived(GeminiRequests.RequestId(request)));
    }

    [Fact]
    public async Task Two_different_keys_in_one_request_are_refused()
    {
        var first = await gateway.CreateKeyAsync("first");
        var second = await gateway.CreateKeyAsync("second");
        using var request = GeminiRequests.Generate(first.Key);
        request.Headers.Add("x-goog-api-key", second.Key);
        using var response = await gateway.Client.SendAsync(request);

        await GeminiErrorAssert.IsErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHENTICATED");
        Assert.Empty(gateway.UpstreamReceived(GeminiRequests.RequestId(request)));
    }

    [Fact]
    public async Task An_expired_key_is_refused()
    {
        var key = await gateway.CreateKeyAsync("expiring", expiresAt: gateway.Time.GetUtcNow().AddHours(1));
        using (var before = await gateway.Client.SendAsync(GeminiRequests.Generate(key.Key)))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        gateway.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        using var request = GeminiRequests.Generate(key.Key);
        using var response = await gateway.Client.SendAsync(request);

        var message = await GeminiErrorAssert.IsErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHENTICATED");
        Assert.Contains("expired", message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(gateway.UpstreamReceived(GeminiRequests.RequestId(request)));
    }

    [Fact]
    public async Task A_revoked_key_is_refused_immediately_on_the_revoking_replica()
    {
        var key = await gateway.CreateKeyAsync("revoked");
        using (var before = await gateway.Client.SendAsync(GeminiRequests.Generate(key.Key)))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode); // now cached
        }

        using (var admin = gateway.AdminClient())
        using (var revoke = await admin.DeleteAsync(new Uri("/admin/keys/" + key.Id, UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        using var request = GeminiRequests.Generate(key.Key);
        using var response = await gateway.Client.SendAsync(request);

        await GeminiErrorAssert.IsErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHENTICATED");
        Assert.Empty(gateway.UpstreamReceived(GeminiRequests.RequestId(request)));
    }

    [Fact]
    public async Task A_revoked_key_stops_working_on_other_replicas_within_the_cache_ttl()
    {
        var key = await gateway.CreateKeyAsync("elsewhere");
        using (var warm = await gateway.OtherClient.SendAsync(GeminiRequests.Generate(key.Key)))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode); // the other replica caches the key
        }

        using (var admin = gateway.AdminClient())
        using (var revoke = await admin.DeleteAsync(new Uri("/admin/keys/" + key.Id, UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        using (var stale = await gateway.OtherClient.SendAsync(GeminiRequests.Generate(key.Key)))
        {
            Assert.Equal(HttpStatusCode.OK, stale.StatusCode); // documented: up to Keys:CacheTtl (30 s) elsewhere
        }

        gateway.OtherTime.Advance(TimeSpan.FromSeconds(31));
        using var request = GeminiRequests.Generate(key.Key);
        using var response = await gateway.OtherClient.SendAsync(request);

        await GeminiErrorAssert.IsErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHENTICATED");
        Assert.Empty(gateway.UpstreamReceived(GeminiRequests.RequestId(request)));
    }
}

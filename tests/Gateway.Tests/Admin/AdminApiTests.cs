using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

using Routescope.Gateway.Keys;
using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Admin;

public sealed class AdminApiTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Creating_a_key_returns_it_once_with_its_identity()
    {
        using var admin = gateway.AdminClient();
        using var response = await admin.PostAsJsonAsync("/admin/keys", new { name = "team-a", group = "design" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        var id = root.GetProperty("id").GetString()!;
        var key = root.GetProperty("key").GetString()!;
        Assert.Equal("team-a", root.GetProperty("name").GetString());
        Assert.Equal("design", root.GetProperty("group").GetString());
        Assert.True(GatewayKeyFormat.IsWellFormed(key));
        Assert.Equal(key[..12], root.GetProperty("prefix").GetString());
        Assert.True(root.GetProperty("createdAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.Equal("/admin/keys/" + id, response.Headers.Location?.ToString());
    }

    [Fact]
    public async Task A_key_without_a_group_gets_the_default_group()
    {
        using var admin = gateway.AdminClient();
        using var response = await admin.PostAsJsonAsync("/admin/keys", new { name = "no-group" });

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("default", json.RootElement.GetProperty("group").GetString());
    }

    [Fact]
    public async Task The_key_list_never_shows_a_key_or_its_hash()
    {
        var created = await gateway.CreateKeyAsync("listed");
        using var admin = gateway.AdminClient();
        var body = await admin.GetStringAsync(new Uri("/admin/keys", UriKind.Relative));

        Assert.Contains(created.Id, body, StringComparison.Ordinal);
        Assert.Contains(created.Prefix, body, StringComparison.Ordinal);
        Assert.DoesNotContain(created.Key, body, StringComparison.Ordinal);
        Assert.DoesNotContain(GatewayKeyFormat.Hash(created.Key), body, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(body);
        var entry = json.RootElement.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("id").GetString() == created.Id);
        Assert.False(entry.TryGetProperty("key", out _));
        Assert.Equal("active", entry.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Revoking_a_key_answers_204_and_lists_it_as_revoked()
    {
        var created = await gateway.CreateKeyAsync("to-revoke");
        using var admin = gateway.AdminClient();
        using var response = await admin.DeleteAsync(new Uri("/admin/keys/" + created.Id, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        using var json = JsonDocument.Parse(await admin.GetStringAsync(new Uri("/admin/keys", UriKind.Relative)));
        var entry = json.RootElement.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("id").GetString() == created.Id);
        Assert.Equal("revoked", entry.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Revoking_an_unknown_key_is_a_404()
    {
        using var admin = gateway.AdminClient();
        using var response = await admin.DeleteAsync(new Uri("/admin/keys/key_0000000000000000", UriKind.Relative));

        await GeminiErrorAssert.IsErrorAsync(response, HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Theory]
    [InlineData("""{"group":"g"}""", "name")]
    [InlineData("""{"name":""}""", "name")]
    [InlineData("""{"name":"x","group":"has space"}""", "group")]
    [InlineData("""{"name":"x","grop":"typo"}""", "grop")]
    [InlineData("""{"name":"x","expiresAt":"2001-01-01T00:00:00Z"}""", "expiresAt")]
    [InlineData("""{"name":"x","rpm":0}""", "rpm")]
    [InlineData("""{"name":"x","rpm":"fast"}""", "rpm")]
    [InlineData("""{"name":"x","softBudgetRatio":1.5}""", "softBudgetRatio")]
    [InlineData("""{"name":"x","allowedModels":["no spaces"]}""", "allowedModels[0]")]
    [InlineData("""{"name":""", "$")]
    [InlineData("""[1,2]""", "$")]
    public async Task Bad_create_requests_are_400s_naming_the_field(string body, string field)
    {
        using var admin = gateway.AdminClient();
        using var response = await admin.PostAsync(new Uri("/admin/keys", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        var message = await GeminiErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, "INVALID_ARGUMENT");
        Assert.Contains(field, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_calls_without_a_token_are_401()
    {
        using var response = await gateway.Client.GetAsync(new Uri("/admin/keys", UriKind.Relative));

        await GeminiErrorAssert.IsErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHENTICATED");
    }

    [Theory]
    [InlineData("Bearer wrong-token-wrong-token")]
    [InlineData("Bearer " + GatewayFixture.AdminToken + "x")]
    [InlineData("Basic " + GatewayFixture.AdminToken)]
    public async Task Admin_calls_with_a_wrong_token_are_401_and_create_nothing(string authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/keys") { Content = JsonContent.Create(new { name = "intruder" }) };
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await gateway.Client.SendAsync(request);

        await GeminiErrorAssert.IsErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHENTICATED");
        using var admin = gateway.AdminClient();
        Assert.DoesNotContain("intruder", await admin.GetStringAsync(new Uri("/admin/keys", UriKind.Relative)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gateway_key_is_not_an_admin_token()
    {
        var key = await gateway.CreateKeyAsync("not-admin");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/keys");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key.Key);
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}

/// <summary>A gateway started without GATEWAY_ADMIN_TOKEN.</summary>
public sealed class NoAdminTokenFixture : GatewayFixture
{
    protected override GatewayFactory CreateFactory(Dictionary<string, string?> settings)
    {
        settings.Remove("GATEWAY_ADMIN_TOKEN");
        return base.CreateFactory(settings);
    }
}

public sealed class AdminDisabledTests(NoAdminTokenFixture gateway) : IClassFixture<NoAdminTokenFixture>
{
    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task Without_an_admin_token_the_admin_api_does_not_exist(string method)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "/admin/keys") { Content = JsonContent.Create(new { name = "x" }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GatewayFixture.AdminToken);
        using var response = await gateway.Client.SendAsync(request);

        await GeminiErrorAssert.IsErrorAsync(response, HttpStatusCode.NotFound, "NOT_FOUND");
    }
}

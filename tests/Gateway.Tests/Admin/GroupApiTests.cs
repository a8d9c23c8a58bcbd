using System.Net;
using System.Text.Json;

using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Admin;

/// <summary><c>/admin/groups</c>: a group exists once a key names it or it is put; a put replaces its policy.</summary>
public sealed class GroupApiTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Putting_a_new_group_is_a_201_and_putting_it_again_replaces_its_policy_with_a_200()
    {
        using var admin = gateway.AdminClient();

        using var created = await KeyPolicyApiTests.PutGroupAsync(admin, "grp-new", """{"rpm":5,"monthlyBudgetUsd":10,"expiresAt":"2099-01-01T00:00:00Z"}""");
        using var replaced = await KeyPolicyApiTests.PutGroupAsync(admin, "grp-new", """{"concurrency":2,"rpm":null}""");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/admin/groups/grp-new", created.Headers.Location?.ToString());
        using (var first = JsonDocument.Parse(await created.Content.ReadAsStringAsync()))
        {
            Assert.Equal("""{"rpm":5,"monthlyBudgetUsd":10,"expiresAt":"2099-01-01T00:00:00+00:00"}""", first.RootElement.GetProperty("policy").GetRawText());
        }

        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        using var shown = await GetGroupAsync(admin, "grp-new");
        Assert.Equal("grp-new", shown.RootElement.GetProperty("name").GetString());
        Assert.Equal("""{"concurrency":2}""", shown.RootElement.GetProperty("policy").GetRawText());
        Assert.True(shown.RootElement.GetProperty("updatedAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task A_group_only_keys_name_exists_with_an_empty_policy_and_putting_it_is_a_200()
    {
        await gateway.CreateKeyAsync("grp-named-key", group: "grp-named");
        using var admin = gateway.AdminClient();

        using (var shown = await GetGroupAsync(admin, "grp-named"))
        {
            Assert.Equal("""{"name":"grp-named","policy":{}}""", JsonSerializer.Serialize(new { name = "grp-named", policy = shown.RootElement.GetProperty("policy") }));
            Assert.False(shown.RootElement.TryGetProperty("updatedAt", out _));
            // Nothing spent by its keys this month yet.
            var spend = shown.RootElement.GetProperty("spend");
            Assert.Equal((0m, 0m), (spend.GetProperty("spentUsd").GetDecimal(), spend.GetProperty("reservedUsd").GetDecimal()));
        }

        using var put = await KeyPolicyApiTests.PutGroupAsync(admin, "grp-named", """{"rpm":12}""");

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Null(put.Headers.Location);
    }

    [Fact]
    public async Task The_group_list_has_put_and_named_groups_by_name()
    {
        await gateway.CreateKeyAsync("grp-list-key", group: "grp-list-b");
        using var admin = gateway.AdminClient();
        (await KeyPolicyApiTests.PutGroupAsync(admin, "grp-list-a", """{"allowedModels":["gemini-*"]}""")).Dispose();
        (await KeyPolicyApiTests.PutGroupAsync(admin, "grp-list-c", "{}")).Dispose();

        using var json = JsonDocument.Parse(await admin.GetStringAsync(new Uri("/admin/groups", UriKind.Relative)));

        var groups = json.RootElement.GetProperty("groups").EnumerateArray().ToArray();
        var names = groups.Select(g => g.GetProperty("name").GetString()!).ToArray();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Equal(["grp-list-a", "grp-list-b", "grp-list-c"], names.Where(n => n.StartsWith("grp-list-", StringComparison.Ordinal)));
        Assert.Equal("""{"allowedModels":["gemini-*"]}""", groups.Single(g => g.GetProperty("name").GetString() == "grp-list-a").GetProperty("policy").GetRawText());
    }

    [Theory]
    [InlineData("grp-never")]
    [InlineData("bad%20name")]
    public async Task An_unknown_group_is_a_404(string name)
    {
        using var admin = gateway.AdminClient();

        using var response = await admin.GetAsync(new Uri("/admin/groups/" + name, UriKind.Relative));

        await GeminiErrorAssert.IsErrorAsync(response, HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Theory]
    [InlineData("grp-bad", """{"rpm":0}""", "rpm")]
    [InlineData("grp-bad", """{"monthlyBudgetUsd":-1}""", "monthlyBudgetUsd")]
    [InlineData("grp-bad", """{"softBudgetRatio":2}""", "softBudgetRatio")]
    [InlineData("grp-bad", """{"allowedModels":["a/b"]}""", "allowedModels[0]")]
    [InlineData("grp-bad", """{"budget":5}""", "budget")]
    [InlineData("grp-bad", """{"rpm":5,"concurrency":"2"}""", "concurrency")]
    [InlineData("grp bad", """{"rpm":5}""", "name")]
    [InlineData("grp_bad_name_that_is_much_too_long_for_a_group_name_of_sixty_four_c", """{"rpm":5}""", "name")]
    public async Task Bad_puts_are_400s_naming_the_field_and_change_nothing(string name, string body, string field)
    {
        using var admin = gateway.AdminClient();
        (await KeyPolicyApiTests.PutGroupAsync(admin, "grp-bad", """{"rpm":7}""")).Dispose();

        using var response = await KeyPolicyApiTests.PutGroupAsync(admin, Uri.EscapeDataString(name), body);

        var message = await GeminiErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, "INVALID_ARGUMENT");
        Assert.StartsWith(field + ":", message, StringComparison.Ordinal);
        using var shown = await GetGroupAsync(admin, "grp-bad");
        Assert.Equal("""{"rpm":7}""", shown.RootElement.GetProperty("policy").GetRawText());
        using var list = JsonDocument.Parse(await admin.GetStringAsync(new Uri("/admin/groups", UriKind.Relative)));
        Assert.DoesNotContain(list.RootElement.GetProperty("groups").EnumerateArray(), g => g.GetProperty("name").GetString() == name && name != "grp-bad");
    }

    private static async Task<JsonDocument> GetGroupAsync(HttpClient admin, string name)
    {
        using var response = await admin.GetAsync(new Uri("/admin/groups/" + name, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}

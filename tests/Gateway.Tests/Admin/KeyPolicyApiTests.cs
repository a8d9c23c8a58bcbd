using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

using Microsoft.Extensions.DependencyInjection;

using Routescope.Gateway.Keys;
using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Admin;

/// <summary><c>PATCH</c> and <c>GET /admin/keys/{id}</c>: a key's own policy, and what applies after its group's.</summary>
public sealed class KeyPolicyApiTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Future = "2099-01-01T00:00:00Z";

    private static readonly string[] Gemini25 = ["gemini-2.5-*"];

    [Fact]
    public async Task A_patch_sets_every_field_and_get_shows_them_as_the_keys_own_policy()
    {
        var key = await gateway.CreateKeyAsync("pol-all", group: "pol-all");
        using var admin = gateway.AdminClient();

        using var patched = await PatchAsync(admin, key.Id, $$"""
            {"allowedModels":["gemini-2.5-*","gemini-3-pro-image-preview"],"rpm":60,"concurrency":4,"monthlyBudgetUsd":100,
             "softBudgetRatio":0.5,"expiresAt":"{{Future}}","disabled":false}
            """);

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        const string Expected = """{"allowedModels":["gemini-2.5-*","gemini-3-pro-image-preview"],"rpm":60,"concurrency":4,"monthlyBudgetUsd":100,"softBudgetRatio":0.5,"expiresAt":"2099-01-01T00:00:00+00:00","disabled":false}""";
        using var answer = JsonDocument.Parse(await patched.Content.ReadAsStringAsync());
        Assert.Equal(Expected, answer.RootElement.GetProperty("policy").GetRawText());
        using var shown = await GetKeyAsync(admin, key.Id);
        var root = shown.RootElement;
        Assert.Equal((key.Id, key.Prefix, "pol-all", "active"), (root.GetProperty("id").GetString(), root.GetProperty("prefix").GetString(),
            root.GetProperty("group").GetString(), root.GetProperty("status").GetString()));
        Assert.Equal(Expected, root.GetProperty("policy").GetRawText());
        Assert.Equal(Expected, root.GetProperty("effectivePolicy").GetRawText());
        Assert.Equal(DateTimeOffset.Parse(Future, System.Globalization.CultureInfo.InvariantCulture), root.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.False(root.TryGetProperty("key", out _));
        // The month so far: nothing spent or reserved yet, against the budget just set.
        var spend = root.GetProperty("spend");
        Assert.Matches(@"^\d{4}-\d\d$", spend.GetProperty("month").GetString());
        Assert.Equal((0m, 0m, 100m), (spend.GetProperty("spentUsd").GetDecimal(), spend.GetProperty("reservedUsd").GetDecimal(), spend.GetProperty("budgetUsd").GetDecimal()));
    }

    [Fact]
    public async Task Null_clears_a_field_and_an_absent_field_stays_as_it_is()
    {
        var key = await gateway.CreateKeyAsync("pol-null", group: "pol-null");
        using var admin = gateway.AdminClient();
        (await PatchAsync(admin, key.Id, $$"""{"rpm":60,"concurrency":4,"allowedModels":["gemini-*"],"expiresAt":"{{Future}}"}""")).Dispose();

        using var patched = await PatchAsync(admin, key.Id, """{"rpm":null,"allowedModels":null,"expiresAt":null}""");

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        using var shown = await GetKeyAsync(admin, key.Id);
        Assert.Equal("""{"concurrency":4}""", shown.RootElement.GetProperty("policy").GetRawText());
        Assert.False(shown.RootElement.TryGetProperty("expiresAt", out _));
    }

    [Fact]
    public async Task An_empty_patch_changes_nothing()
    {
        var key = await gateway.CreateKeyAsync("pol-empty", group: "pol-empty");
        using var admin = gateway.AdminClient();
        (await PatchAsync(admin, key.Id, """{"rpm":9}""")).Dispose();

        using var patched = await PatchAsync(admin, key.Id, "{}");

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        using var shown = await GetKeyAsync(admin, key.Id);
        Assert.Equal("""{"rpm":9}""", shown.RootElement.GetProperty("policy").GetRawText());
    }

    [Fact]
    public async Task The_effective_policy_takes_the_groups_values_where_the_key_sets_none()
    {
        var key = await gateway.CreateKeyAsync("pol-inherit", group: "pol-inherit");
        using var admin = gateway.AdminClient();
        (await PutGroupAsync(admin, "pol-inherit", """{"rpm":100,"monthlyBudgetUsd":50,"allowedModels":["gemini-2.5-*"],"softBudgetRatio":0.9}""")).Dispose();
        (await PatchAsync(admin, key.Id, """{"rpm":10,"softBudgetRatio":0.5}""")).Dispose();

        using (var shown = await GetKeyAsync(admin, key.Id))
        {
            Assert.Equal("""{"rpm":10,"softBudgetRatio":0.5}""", shown.RootElement.GetProperty("policy").GetRawText());
            Assert.Equal("""{"allowedModels":["gemini-2.5-*"],"rpm":10,"monthlyBudgetUsd":50,"softBudgetRatio":0.5}""",
                shown.RootElement.GetProperty("effectivePolicy").GetRawText());
        }

        // Cleared on the key, a field falls back to the group's value.
        (await PatchAsync(admin, key.Id, """{"rpm":null,"softBudgetRatio":null}""")).Dispose();
        using var cleared = await GetKeyAsync(admin, key.Id);
        Assert.Equal("{}", cleared.RootElement.GetProperty("policy").GetRawText());
        Assert.Equal("""{"allowedModels":["gemini-2.5-*"],"rpm":100,"monthlyBudgetUsd":50,"softBudgetRatio":0.9}""",
            cleared.RootElement.GetProperty("effectivePolicy").GetRawText());
    }

    [Fact]
    public async Task The_soft_budget_ratio_is_0_8_when_neither_key_nor_group_sets_it()
    {
        var key = await gateway.CreateKeyAsync("pol-default", group: "pol-default");
        using var admin = gateway.AdminClient();

        using var shown = await GetKeyAsync(admin, key.Id);

        Assert.Equal("{}", shown.RootElement.GetProperty("policy").GetRawText());
        Assert.Equal("""{"softBudgetRatio":0.8}""", shown.RootElement.GetProperty("effectivePolicy").GetRawText());
    }

    [Fact]
    public async Task A_patch_drops_the_keys_cached_lookup_on_this_replica()
    {
        var key = await gateway.CreateKeyAsync("pol-cache", group: "pol-cache");
        using (var served = await gateway.Client.SendAsync(GeminiRequests.Generate(key.Key)))
        {
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        }

        var cache = gateway.Factory.Services.GetRequiredService<KeyCache>();
        var hash = GatewayKeyFormat.Hash(key.Key);
        Assert.True(cache.TryGet(hash, out _));
        using var admin = gateway.AdminClient();

        (await PatchAsync(admin, key.Id, """{"rpm":42}""")).Dispose();

        Assert.False(cache.TryGet(hash, out _));
        var (check, looked, _) = await gateway.Factory.Services.GetRequiredService<GatewayKeyService>().CheckAsync(key.Key, CancellationToken.None);
        Assert.Equal((KeyCheck.Valid, 42), (check, looked!.Policy.Rpm));
    }

    [Fact]
    public async Task Get_and_patch_of_an_unknown_key_are_404s()
    {
        using var admin = gateway.AdminClient();

        using var get = await admin.GetAsync(new Uri("/admin/keys/key_0000000000000000", UriKind.Relative));
        using var patch = await PatchAsync(admin, "key_0000000000000000", """{"rpm":5}""");

        await GeminiErrorAssert.IsErrorAsync(get, HttpStatusCode.NotFound, "NOT_FOUND");
        await GeminiErrorAssert.IsErrorAsync(patch, HttpStatusCode.NotFound, "NOT_FOUND");
    }

    public static TheoryData<string, string> BadPolicies() => new()
    {
        { """{"rpm":0}""", "rpm" },
        { """{"\ud800":1}""", "$" },
        { """{"allowedModels":["\ud800"]}""", "$" },
        { """{"rpm":-5}""", "rpm" },
        { """{"rpm":1.5}""", "rpm" },
        { """{"rpm":"60"}""", "rpm" },
        { """{"rpm":3000000000}""", "rpm" },
        { """{"concurrency":0}""", "concurrency" },
        { """{"concurrency":true}""", "concurrency" },
        { """{"monthlyBudgetUsd":-0.01}""", "monthlyBudgetUsd" },
        { """{"monthlyBudgetUsd":"100"}""", "monthlyBudgetUsd" },
        { """{"softBudgetRatio":1.01}""", "softBudgetRatio" },
        { """{"softBudgetRatio":-0.1}""", "softBudgetRatio" },
        { """{"softBudgetRatio":{}}""", "softBudgetRatio" },
        { """{"allowedModels":[]}""", "allowedModels" },
        { """{"allowedModels":"gemini-*"}""", "allowedModels" },
        { """{"allowedModels":[1]}""", "allowedModels" },
        { """{"allowedModels":[["gemini-*"]]}""", "allowedModels" },
        { """{"allowedModels":["gemini 2.5"]}""", "allowedModels[0]" },
        { """{"allowedModels":["gemini-2.5-*","models/gemini"]}""", "allowedModels[1]" },
        { """{"allowedModels":[""]}""", "allowedModels[0]" },
        { $$"""{"allowedModels":["{{new string('a', 129)}}"]}""", "allowedModels[0]" },
        { $$"""{"allowedModels":[{{string.Join(',', Enumerable.Range(0, 65).Select(i => $"\"m{i}\""))}}]}""", "allowedModels" },
        { """{"expiresAt":"2001-01-01T00:00:00Z"}""", "expiresAt" },
        { """{"expiresAt":"2099-01-01T00:00:00"}""", "expiresAt" },
        { """{"expiresAt":"next tuesday"}""", "expiresAt" },
        { """{"expiresAt":4102444800}""", "expiresAt" },
        { """{"disabled":"yes"}""", "disabled" },
        { """{"disabled":1}""", "disabled" },
        { """{"rmp":60}""", "rmp" },
        { """{"name":"renamed"}""", "name" },
        { """{"rpm":60,"rpm":70}""", "rpm" },
        { """{"rpm":60,"concurrency":0}""", "concurrency" },
        { """[{"rpm":60}]""", "$" },
        { """{"rpm":60""", "$" },
        { """{"rpm":60} {"rpm":61}""", "$" },
        { "", "$" },
    };

    [Theory]
    [MemberData(nameof(BadPolicies))]
    public async Task Bad_patches_are_400s_naming_the_field_and_change_nothing(string body, string field)
    {
        var key = await gateway.CreateKeyAsync("pol-bad", group: "pol-bad");
        using var admin = gateway.AdminClient();
        (await PatchAsync(admin, key.Id, """{"rpm":7}""")).Dispose();

        using var response = await PatchAsync(admin, key.Id, body);

        var message = await GeminiErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, "INVALID_ARGUMENT");
        Assert.StartsWith(field + ":", message, StringComparison.Ordinal);
        using var shown = await GetKeyAsync(admin, key.Id);
        Assert.Equal("""{"rpm":7}""", shown.RootElement.GetProperty("policy").GetRawText());
    }

    /// <summary>Every bad policy a PATCH refuses, refused alike by a create (the key's name added to the body): nothing created.</summary>
    [Theory]
    [MemberData(nameof(BadPolicies))]
    public async Task Bad_policies_in_a_create_are_400s_naming_the_field_and_create_nothing(string body, string field)
    {
        var name = "pol-bad-create-" + Guid.NewGuid().ToString("N")[..8];
        using var admin = gateway.AdminClient();

        using var response = await admin.PostAsync(new Uri("/admin/keys", UriKind.Relative), new StringContent(WithName(body, name), Encoding.UTF8, "application/json"));

        var message = await GeminiErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, "INVALID_ARGUMENT");
        Assert.StartsWith(field + ":", message, StringComparison.Ordinal);
        using var list = JsonDocument.Parse(await admin.GetStringAsync(new Uri("/admin/keys", UriKind.Relative)));
        Assert.DoesNotContain(list.RootElement.GetProperty("keys").EnumerateArray(), k => k.GetProperty("name").GetString() == name);
    }

    /// <summary>Every bad policy a PATCH refuses, refused alike by a group put: the group's policy stays.</summary>
    [Theory]
    [MemberData(nameof(BadPolicies))]
    public async Task Bad_policies_in_a_group_put_are_400s_naming_the_field_and_change_nothing(string body, string field)
    {
        using var admin = gateway.AdminClient();
        (await PutGroupAsync(admin, "pol-bad-put", """{"rpm":7}""")).Dispose();

        using var response = await PutGroupAsync(admin, "pol-bad-put", body);

        var message = await GeminiErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, "INVALID_ARGUMENT");
        Assert.StartsWith(field + ":", message, StringComparison.Ordinal);
        using var shown = JsonDocument.Parse(await admin.GetStringAsync(new Uri("/admin/groups/pol-bad-put", UriKind.Relative)));
        Assert.Equal("""{"rpm":7}""", shown.RootElement.GetProperty("policy").GetRawText());
    }

    [Theory]
    [InlineData("""{"name":"a","name":"b"}""", "name")]
    [InlineData("""{"name":"a","group":"g","group":"h"}""", "group")]
    [InlineData("""{"name":7}""", "name")]
    [InlineData("""{"name":"a","group":["g"]}""", "group")]
    [InlineData("""{"name":null}""", "name")]
    public async Task A_creates_name_and_group_are_single_strings(string body, string field)
    {
        using var admin = gateway.AdminClient();
        var before = await KeyCountAsync(admin);

        using var response = await admin.PostAsync(new Uri("/admin/keys", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        var message = await GeminiErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, "INVALID_ARGUMENT");
        Assert.StartsWith(field + ":", message, StringComparison.Ordinal);
        Assert.Equal(before, await KeyCountAsync(admin));
    }

    private static async Task<int> KeyCountAsync(HttpClient admin)
    {
        using var list = JsonDocument.Parse(await admin.GetStringAsync(new Uri("/admin/keys", UriKind.Relative)));
        return list.RootElement.GetProperty("keys").GetArrayLength();
    }

    /// <summary>A policy body with the key's name as its first field (a body that is not an object stays as it is).</summary>
    private static string WithName(string body, string name) =>
        body.StartsWith('{') && body.Length > 1 ? "{\"name\":\"" + name + "\"," + body[1..] : body;

    [Fact]
    public async Task A_body_over_64_KiB_is_refused_and_changes_nothing()
    {
        var key = await gateway.CreateKeyAsync("pol-big", group: "pol-big");
        using var admin = gateway.AdminClient();

        using var response = await PatchAsync(admin, key.Id, $$"""{"rpm":5,"allowedModels":["{{new string('a', 70_000)}}"]}""");

        await GeminiErrorAssert.IsErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "INVALID_ARGUMENT");
        using var shown = await GetKeyAsync(admin, key.Id);
        Assert.Equal("{}", shown.RootElement.GetProperty("policy").GetRawText());
    }

    [Fact]
    public async Task A_key_can_be_created_with_a_policy()
    {
        using var admin = gateway.AdminClient();
        using var created = await admin.PostAsJsonAsync("/admin/keys",
            new { name = "pol-create", group = "pol-create", rpm = 30, allowedModels = Gemini25, monthlyBudgetUsd = 25.5m, disabled = (bool?)null });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var answer = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        var id = answer.RootElement.GetProperty("id").GetString()!;
        const string Expected = """{"allowedModels":["gemini-2.5-*"],"rpm":30,"monthlyBudgetUsd":25.5}""";
        Assert.Equal(Expected, answer.RootElement.GetProperty("policy").GetRawText());
        Assert.Equal("/admin/keys/" + id, created.Headers.Location?.ToString());
        using var shown = await GetKeyAsync(admin, id);
        Assert.Equal(Expected, shown.RootElement.GetProperty("policy").GetRawText());
    }

    [Fact]
    public async Task The_key_list_stays_without_policies()
    {
        var key = await gateway.CreateKeyAsync("pol-list", group: "pol-list");
        using var admin = gateway.AdminClient();
        (await PatchAsync(admin, key.Id, """{"rpm":3}""")).Dispose();

        using var json = JsonDocument.Parse(await admin.GetStringAsync(new Uri("/admin/keys", UriKind.Relative)));

        var entry = json.RootElement.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("id").GetString() == key.Id);
        Assert.False(entry.TryGetProperty("policy", out _));
        Assert.False(entry.TryGetProperty("effectivePolicy", out _));
    }

    internal static async Task<HttpResponseMessage> PatchAsync(HttpClient admin, string id, string body) =>
        await admin.PatchAsync(new Uri("/admin/keys/" + id, UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

    internal static async Task<HttpResponseMessage> PutGroupAsync(HttpClient admin, string name, string body) =>
        await admin.PutAsync(new Uri("/admin/groups/" + name, UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

    internal static async Task<JsonDocument> GetKeyAsync(HttpClient admin, string id)
    {
        using var response = await admin.GetAsync(new Uri("/admin/keys/" + id, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

using Microsoft.Data.Sqlite;

using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Policy;

/// <summary>
/// A policy row that is not a policy's JSON (a bad manual edit, a bad restore): the admin lists still answer, showing
/// an error in place of the policy, and the key's requests are refused (403) rather than run without its limits.
/// </summary>
public sealed class DamagedPolicyTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Damage = """{"rpm":60,"monthlyBudgetUsd":""";

    [Fact]
    public async Task A_key_whose_stored_policy_is_damaged_is_refused_with_403_and_an_error_log_naming_its_id()
    {
        var key = await gateway.CreateKeyAsync("damaged-" + Guid.NewGuid().ToString("N")[..6]);
        await DamageAsync("UPDATE gateway_keys SET policy = $damage WHERE id = $name", key.Id);

        using var request = GeminiRequests.Generate(key.Key);
        using var response = await gateway.Client.SendAsync(request);

        var message = await GeminiErrorAssert.IsErrorAsync(response, HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        Assert.Contains("policy cannot be read", message, StringComparison.Ordinal);
        Assert.Empty(gateway.UpstreamReceived(GeminiRequests.RequestId(request)));
        var logged = gateway.Logs.Lines.Where(line => line.Contains("\"EventId\":{\"Id\":8007", StringComparison.Ordinal)).ToArray();
        Assert.Contains(logged, line => line.Contains(key.Id, StringComparison.Ordinal) && line.Contains("\"@l\":\"Error\"", StringComparison.Ordinal));
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains(key.Key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_key_list_and_the_key_answer_with_an_error_in_place_of_a_damaged_policy()
    {
        var key = await gateway.CreateKeyAsync("listed-" + Guid.NewGuid().ToString("N")[..6]);
        var healthy = await gateway.CreateKeyAsync("healthy-" + Guid.NewGuid().ToString("N")[..6]);
        await DamageAsync("UPDATE gateway_keys SET policy = $damage WHERE id = $name", key.Id);
        using var admin = gateway.AdminClient();

        using var list = await admin.GetAsync(new Uri("/admin/keys", UriKind.Relative));
        using var shown = await admin.GetAsync(new Uri("/admin/keys/" + key.Id, UriKind.Relative));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (list.StatusCode, shown.StatusCode));
        using var listed = JsonDocument.Parse(await list.Content.ReadAsStringAsync());
        var keys = listed.RootElement.GetProperty("keys").EnumerateArray().ToArray();
        Assert.True(keys.Single(k => k.GetProperty("id").GetString() == key.Id).TryGetProperty("policyError", out _));
        Assert.False(keys.Single(k => k.GetProperty("id").GetString() == healthy.Id).TryGetProperty("policyError", out _));
        using var details = JsonDocument.Parse(await shown.Content.ReadAsStringAsync());
        var root = details.RootElement;
        Assert.Contains("cannot be read", root.GetProperty("policyError").GetString(), StringComparison.Ordinal);
        Assert.False(root.TryGetProperty("policy", out _));
        Assert.False(root.TryGetProperty("effectivePolicy", out _));
        Assert.Equal("disabled", root.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_damaged_group_policy_lists_with_an_error_and_refuses_its_keys()
    {
        var group = "damaged-" + Guid.NewGuid().ToString("N")[..8];
        using var admin = gateway.AdminClient();
        (await admin.PutAsJsonAsync($"/admin/groups/{group}", new { rpm = 1000 })).EnsureSuccessStatusCode();
        var key = await gateway.CreateKeyAsync("in-damaged", group);
        await DamageAsync("UPDATE key_groups SET policy = $damage WHERE name = $name", group);

        using var list = await admin.GetAsync(new Uri("/admin/groups", UriKind.Relative));
        using var shown = await admin.GetAsync(new Uri("/admin/groups/" + group, UriKind.Relative));
        using var request = GeminiRequests.Generate(key.Key);
        using var refused = await gateway.Client.SendAsync(request);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (list.StatusCode, shown.StatusCode));
        using var listed = JsonDocument.Parse(await list.Content.ReadAsStringAsync());
        var entry = listed.RootElement.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("name").GetString() == group);
        Assert.True(entry.TryGetProperty("policyError", out _));
        Assert.False(entry.TryGetProperty("policy", out _));
        await GeminiErrorAssert.IsErrorAsync(refused, HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        Assert.Empty(gateway.UpstreamReceived(GeminiRequests.RequestId(request)));
    }

    [Fact]
    public async Task A_patch_sets_a_damaged_key_policy_again_and_its_requests_pass()
    {
        var key = await gateway.CreateKeyAsync("repaired-" + Guid.NewGuid().ToString("N")[..6]);
        await DamageAsync("UPDATE gateway_keys SET policy = $damage WHERE id = $name", key.Id);
        using var admin = gateway.AdminClient();

        using var patched = await admin.PatchAsync(new Uri("/admin/keys/" + key.Id, UriKind.Relative), new StringContent("""{"rpm":50}""", Encoding.UTF8, "application/json"));
        using var request = GeminiRequests.Generate(key.Key);
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        using var answer = JsonDocument.Parse(await patched.Content.ReadAsStringAsync());
        Assert.Equal("""{"rpm":50}""", answer.RootElement.GetProperty("policy").GetRawText());
        Assert.False(answer.RootElement.TryGetProperty("policyError", out _));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Writes <see cref="Damage"/> into the gateway's SQLite store, as a bad manual edit would.</summary>
    private async Task DamageAsync(string sql, string name)
    {
        await using var connection = new SqliteConnection("Data Source=" + Path.Combine(gateway.DataDirectory, "gateway.db"));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$damage", Damage);
        command.Parameters.AddWithValue("$name", name);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}

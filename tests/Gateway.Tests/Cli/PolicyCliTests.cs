using System.Text.Json;

using Routescope.Gateway.Cli;
using Routescope.Gateway.Tests.Admin;
using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Cli;

/// <summary><c>keys show|set</c> and <c>groups list|show|set</c> change what the admin API shows, with its rules.</summary>
public sealed class PolicyCliTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    // Re-written JSON keeps '+' of time offsets as the gateway writes it.
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public async Task Keys_show_prints_the_key_as_the_admin_api_does()
    {
        var key = await gateway.CreateKeyAsync("cli-show", group: "cli-show");

        var (exit, stdout, _) = await RunAsync("keys", "show", key.Id);

        Assert.Equal(0, exit);
        using var printed = JsonDocument.Parse(stdout);
        using var admin = gateway.AdminClient();
        using var api = await KeyPolicyApiTests.GetKeyAsync(admin, key.Id);
        Assert.Equal(Compact(api.RootElement), Compact(printed.RootElement));
        Assert.Equal("""{"softBudgetRatio":0.8}""", Compact(printed.RootElement.GetProperty("effectivePolicy")));
        Assert.DoesNotContain(key.Key, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_set_changes_the_fields_given_and_none_clears_one()
    {
        var key = await gateway.CreateKeyAsync("cli-set", group: "cli-set");

        var (exit, stdout, stderr) = await RunAsync("keys", "set", key.Id, "--rpm", "60", "--concurrency", "4", "--budget-usd", "100",
            "--allowed-models", "gemini-2.5-*, gemini-3-pro-image-preview", "--soft-budget-ratio", "0.9", "--expires-at", "2099-01-01T00:00:00Z", "--disabled", "false");
        var (clearExit, _, _) = await RunAsync("keys", "set", key.Id, "--rpm", "none", "--expires-at", "none");

        Assert.True(exit == 0, stderr);
        using (var printed = JsonDocument.Parse(stdout))
        {
            Assert.Equal(
                """{"allowedModels":["gemini-2.5-*","gemini-3-pro-image-preview"],"rpm":60,"concurrency":4,"monthlyBudgetUsd":100,"softBudgetRatio":0.9,"expiresAt":"2099-01-01T00:00:00+00:00","disabled":false}""",
                Compact(printed.RootElement.GetProperty("policy")));
        }

        Assert.Equal(0, clearExit);
        using var admin = gateway.AdminClient();
        using var shown = await KeyPolicyApiTests.GetKeyAsync(admin, key.Id);
        Assert.Equal("""{"allowedModels":["gemini-2.5-*","gemini-3-pro-image-preview"],"concurrency":4,"monthlyBudgetUsd":100,"softBudgetRatio":0.9,"disabled":false}""",
            Compact(shown.RootElement.GetProperty("policy")));
    }

    [Theory]
    [InlineData("--rpm", "0", "--rpm")]
    [InlineData("--rpm", "fast", "--rpm")]
    [InlineData("--concurrency", "2.5", "--concurrency")]
    [InlineData("--budget-usd", "lots", "--budget-usd")]
    [InlineData("--soft-budget-ratio", "2", "--soft-budget-ratio")]
    [InlineData("--allowed-models", "gemini-*,bad model", "--allowed-models[1]")]
    [InlineData("--allowed-models", "", "--allowed-models[0]")]
    [InlineData("--expires-at", "2001-01-01T00:00:00Z", "--expires-at")]
    [InlineData("--expires-at", "2099-01-01", "--expires-at")]
    [InlineData("--disabled", "maybe", "--disabled")]
    public async Task Keys_set_with_a_bad_value_fails_naming_the_option_and_changes_nothing(string option, string value, string named)
    {
        var key = await gateway.CreateKeyAsync("cli-bad", group: "cli-bad");
        Assert.Equal(0, (await RunAsync("keys", "set", key.Id, "--rpm", "7")).Exit);

        var (exit, stdout, stderr) = await RunAsync("keys", "set", key.Id, option, value);

        Assert.NotEqual(0, exit);
        Assert.Empty(stdout);
        Assert.StartsWith(named + ":", stderr, StringComparison.Ordinal);
        using var admin = gateway.AdminClient();
        using var shown = await KeyPolicyApiTests.GetKeyAsync(admin, key.Id);
        Assert.Equal("""{"rpm":7}""", Compact(shown.RootElement.GetProperty("policy")));
    }

    [Theory]
    [InlineData("keys", "show", "key_ffffffffffffffff")]
    [InlineData("keys", "set", "key_ffffffffffffffff", "--rpm", "5")]
    [InlineData("keys", "set", "key_ffffffffffffffff")]
    [InlineData("groups", "show", "cli-no-such-group")]
    [InlineData("groups", "set", "bad name", "--rpm", "5")]
    [InlineData("groups", "set", "cli-nothing")]
    public async Task Unknown_keys_groups_and_empty_changes_fail_with_a_message(params string[] args)
    {
        var (exit, stdout, stderr) = await RunAsync(args);

        Assert.Equal(1, exit);
        Assert.Empty(stdout);
        Assert.False(string.IsNullOrWhiteSpace(stderr));
    }

    [Fact]
    public async Task Groups_set_changes_only_the_options_given_and_groups_list_shows_the_group()
    {
        var (exit, stdout, stderr) = await RunAsync("groups", "set", "cli-team", "--rpm", "30", "--budget-usd", "250");
        var (againExit, _, _) = await RunAsync("groups", "set", "cli-team", "--concurrency", "3", "--budget-usd", "none");
        var (listExit, list, _) = await RunAsync("groups", "list");
        var (showExit, shown, _) = await RunAsync("groups", "show", "cli-team");

        Assert.True(exit == 0, stderr);
        using (var printed = JsonDocument.Parse(stdout))
        {
            Assert.Equal("""{"rpm":30,"monthlyBudgetUsd":250}""", Compact(printed.RootElement.GetProperty("policy")));
        }

        Assert.Contains("Created group cli-team", stderr, StringComparison.Ordinal);
        Assert.Equal((0, 0, 0), (againExit, listExit, showExit));
        var row = list.Split('\n').Single(line => line.StartsWith("cli-team ", StringComparison.Ordinal));
        Assert.Equal(["cli-team", "30", "3", "-"], row.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..4]);
        using var group = JsonDocument.Parse(shown);
        Assert.Equal("""{"rpm":30,"concurrency":3}""", Compact(group.RootElement.GetProperty("policy")));
    }

    [Fact]
    public async Task A_key_inherits_what_groups_set_gives_its_group()
    {
        var key = await gateway.CreateKeyAsync("cli-inherit", group: "cli-inherit");
        Assert.Equal(0, (await RunAsync("groups", "set", "cli-inherit", "--allowed-models", "gemini-2.5-*", "--rpm", "50")).Exit);
        Assert.Equal(0, (await RunAsync("keys", "set", key.Id, "--rpm", "5")).Exit);

        var (exit, stdout, _) = await RunAsync("keys", "show", key.Id);

        Assert.Equal(0, exit);
        using var printed = JsonDocument.Parse(stdout);
        Assert.Equal("""{"allowedModels":["gemini-2.5-*"],"rpm":5,"softBudgetRatio":0.8}""", Compact(printed.RootElement.GetProperty("effectivePolicy")));
    }

    /// <summary>The CLI indents its JSON; compared without the layout.</summary>
    private static string Compact(JsonElement element) => JsonSerializer.Serialize(element, Relaxed);

    private async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await GatewayCli.RunAsync(gateway.Factory.Services, args, output, error, CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }
}

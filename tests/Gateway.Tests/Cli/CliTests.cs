using System.Net;

using Routescope.Gateway.Cli;
using Routescope.Gateway.Keys;
using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Cli;

/// <summary>The CLI works on the same store the gateway serves from.</summary>
public sealed class CliTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Keys_create_prints_only_the_key_on_stdout_and_the_key_works()
    {
        var (exit, stdout, stderr) = await RunAsync("keys", "create", "--name", "cli-team", "--group", "batch");

        Assert.Equal(0, exit);
        var key = stdout.Trim();
        Assert.True(GatewayKeyFormat.IsWellFormed(key), stdout);
        Assert.Contains("not shown again", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(key, stderr, StringComparison.Ordinal);
        using var response = await gateway.Client.SendAsync(GeminiRequests.Generate(key));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("2099-01-01T00:00:00")]
    [InlineData("2099-01-01")]
    [InlineData("next week")]
    public async Task Keys_create_refuses_an_expiry_without_an_offset_and_creates_nothing(string expiry)
    {
        var name = "cli-expiry-" + Guid.NewGuid().ToString("N")[..8];

        var (exit, stdout, stderr) = await RunAsync("keys", "create", "--name", name, "--expires-at", expiry);
        var (_, listed, _) = await RunAsync("keys", "list");

        Assert.NotEqual(0, exit);
        Assert.Empty(stdout);
        Assert.StartsWith("--expires-at:", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(name, listed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_list_shows_keys_without_secrets()
    {
        var created = await gateway.CreateKeyAsync("cli-listed");

        var (exit, stdout, _) = await RunAsync("keys", "list");

        Assert.Equal(0, exit);
        Assert.Contains(created.Id, stdout, StringComparison.Ordinal);
        Assert.Contains(created.Prefix, stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(created.Key, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_revoke_revokes_and_reports_unknown_ids()
    {
        var created = await gateway.CreateKeyAsync("cli-revoked");

        var (exit, stdout, _) = await RunAsync("keys", "revoke", created.Id);
        var (unknownExit, _, unknownError) = await RunAsync("keys", "revoke", "key_ffffffffffffffff");

        Assert.Equal(0, exit);
        Assert.Contains(created.Id, stdout, StringComparison.Ordinal);
        Assert.Equal(1, unknownExit);
        Assert.Contains("No key", unknownError, StringComparison.Ordinal);
        using var response = await gateway.Client.SendAsync(GeminiRequests.Generate(created.Key));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("keys", "create")]
    [InlineData("keys", "create", "--name", "x", "--group", "bad group")]
    [InlineData("keys", "revoke")]
    public async Task Bad_invocations_fail_with_a_message(params string[] args)
    {
        var (exit, stdout, stderr) = await RunAsync(args);

        Assert.NotEqual(0, exit);
        Assert.DoesNotContain("rsg_", stdout, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(stderr));
    }

    private async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await GatewayCli.RunAsync(gateway.Factory.Services, args, output, error, CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }
}

using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Clients;

/// <summary>
/// The official <c>@google/genai</c> SDK (tests/clients, node:test) against this gateway on a real port: a service
/// switches to the gateway by changing only its base URL and key.
/// </summary>
public sealed class OfficialSdkTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private static readonly string ClientsDirectory = Path.Combine(RepositoryRoot.Path, "tests", "clients");

    [Fact]
    public async Task The_official_Gemini_SDK_works_through_the_gateway_with_only_a_base_url()
    {
        await EnsureInstalledAsync();
        var key = await gateway.CreateKeyAsync("sdk");
        var before = gateway.Upstream.Received.Count;

        var (exit, output) = await ExternalProcess.RunAsync(
            "node",
            ["--test", "sdk.test.js"],
            ClientsDirectory,
            new Dictionary<string, string>
            {
                ["GATEWAY_URL"] = gateway.Factory.Address.ToString().TrimEnd('/'),
                ["GATEWAY_KEY"] = key.Key,
            },
            TimeSpan.FromMinutes(3));

        Assert.True(exit == 0, "node --test failed:\n" + output);
        var sdkCalls = gateway.Upstream.Received.Skip(before).ToArray();
        Assert.Contains(sdkCalls, call => call.Path == "/v1beta/models/gemini-2.5-flash-image:generateContent");
        Assert.Contains(sdkCalls, call => call.Path == "/v1beta/models/gemini-2.5-flash-image:streamGenerateContent" && call.QueryString == "?alt=sse");
        Assert.All(sdkCalls, call =>
        {
            Assert.StartsWith("google-genai-sdk/", call.Header("x-goog-api-client") ?? string.Empty, StringComparison.Ordinal);
            Assert.Null(call.Header("x-goog-api-key"));
            Assert.Equal("Bearer " + GatewayFixture.UpstreamKey, call.Header("authorization"));
        });
    }

    /// <summary>.ci/run installs the SDK; a developer's first local run installs it here, from the committed lock file.</summary>
    private static async Task EnsureInstalledAsync()
    {
        if (Directory.Exists(Path.Combine(ClientsDirectory, "node_modules", "@google", "genai")))
        {
            return;
        }

        var (exit, output) = await ExternalProcess.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], ClientsDirectory, null, TimeSpan.FromMinutes(5));
        Assert.True(exit == 0, "npm ci in tests/clients failed:\n" + output);
    }
}

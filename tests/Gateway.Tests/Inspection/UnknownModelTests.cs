using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Inspection;

public sealed class RejectUnknownFixture : GatewayFixture
{
    protected override GatewayFactory CreateFactory(Dictionary<string, string?> settings)
    {
        settings["Models:RejectUnknown"] = "true";
        return base.CreateFactory(settings);
    }
}

public sealed class UnknownModelTests(RejectUnknownFixture gateway) : IClassFixture<RejectUnknownFixture>
{
    [Theory]
    [InlineData("generateContent")]
    [InlineData("streamGenerateContent")]
    [InlineData("countTokens")]
    public async Task With_RejectUnknown_models_outside_the_catalog_are_404s(string operation)
    {
        var key = await gateway.CreateKeyAsync();
        var (status, body, forwarded) = await GatewayCalls.GenerateAsync(gateway, key.Key, "gpt-4o-mini", GeminiRequests.TextOnlyBody, operation);

        Assert.Equal(404, status);
        Assert.False(forwarded);
        Assert.Contains("gpt-4o-mini", GeminiErrorAssert.IsError(body, 404, "NOT_FOUND"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_RejectUnknown_catalog_models_still_pass()
    {
        var key = await gateway.CreateKeyAsync();
        var (status, _, forwarded) = await GatewayCalls.GenerateAsync(gateway, key.Key, GeminiRequests.ImageModel, GeminiRequests.TextOnlyBody);

        Assert.Equal(200, status);
        Assert.True(forwarded);
    }
}

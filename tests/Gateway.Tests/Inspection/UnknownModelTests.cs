using Routescope.Gateway.Tests.Infrastructure;
using Routescope.Gateway.Tests.Usage;
using Routescope.Gateway.Usage;

namespace Routescope.Gateway.Tests.Inspection;

/// <summary>Nothing is served at an unknown price: a model outside the catalog is refused before any upstream call.</summary>
public sealed class UnknownModelTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Theory]
    [InlineData("gemini-2.5-flash", "generateContent")]
    [InlineData("gemini-2.5-flash", "streamGenerateContent")]
    [InlineData("gemini-2.5-flash", "countTokens")]
    public async Task Models_outside_the_catalog_are_refused_with_a_404_naming_them(string model, string operation)
    {
        var key = await gateway.CreateKeyAsync();
        var (status, body, forwarded) = await GatewayCalls.GenerateAsync(gateway, key.Key, model, GeminiRequests.TextOnlyBody, operation);

        Assert.Equal(404, status);
        Assert.False(forwarded);
        var message = GeminiErrorAssert.IsError(body, 404, "NOT_FOUND");
        Assert.Contains(model, message, StringComparison.Ordinal);
        Assert.Contains("not offered here", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_seeds_text_model_is_priced_and_served()
    {
        var key = await gateway.CreateKeyAsync();
        const string seedTextExample = """{"contents":[{"parts":[{"text":"Writing a four-word Chinese short poem on the theme of urban night rain."}]}],"generationConfig":{"temperature":0.7,"maxOutputTokens":100000}}""";
        var (status, _, forwarded) = await GatewayCalls.GenerateAsync(gateway, key.Key, "gpt-4o-mini", seedTextExample);

        Assert.Equal(200, status);
        Assert.True(forwarded);
    }
}

public sealed class RecordUnpricedFixture : UsageFixture
{
    protected override GatewayFactory CreateFactory(Dictionary<string, string?> settings)
    {
        settings["Billing:UnpricedModels"] = "Record";
        return base.CreateFactory(settings);
    }
}

/// <summary>With <c>Billing:UnpricedModels=Record</c> such a model is served, and its record says it has no price.</summary>
public sealed class RecordedUnpricedModelTests(RecordUnpricedFixture gateway) : IClassFixture<RecordUnpricedFixture>
{
    [Fact]
    public async Task An_unpriced_model_is_served_and_recorded_with_an_empty_cost_flagged_unpriced()
    {
        var key = await gateway.CreateKeyAsync();
        using var request = GeminiRequests.Generate(key.Key, model: "gemini-2.5-flash", body: """{"contents":[{"parts":[{"text":"hi"}]}]}""");
        var id = GeminiRequests.RequestId(request);
        using var response = await gateway.Client.SendAsync(request);
        Assert.Equal(200, (int)response.StatusCode);

        var record = Assert.Single(await gateway.RecordsAsync([id]), r => r.RequestId == id);
        var issued = gateway.UpstreamLedger(id).Single().Billed;

        Assert.Equal(UsageCostBasis.Unpriced, record.CostBasis);
        Assert.Null(record.ChargebackCost);
        Assert.Null(record.InputPerMillion);
        Assert.Equal(issued.TotalTokens, record.TotalTokens);
        Assert.Equal(issued.PromptTokens, record.PromptTokens);
    }
}

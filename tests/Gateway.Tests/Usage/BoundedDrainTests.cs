using Routescope.Fake;
using Routescope.Gateway.Tests.Infrastructure;
using Routescope.Gateway.Usage;

namespace Routescope.Gateway.Tests.Usage;

public sealed class BoundedDrainFixture : UsageFixture
{
    protected override GatewayFactory CreateFactory(Dictionary<string, string?> settings)
    {
        settings["Usage:DrainMaxBytes"] = "65536";
        return base.CreateFactory(settings);
    }
}

/// <summary>The drain after a client left is bounded; past the bound the record carries an estimate, flagged as one.</summary>
public sealed class BoundedDrainTests(BoundedDrainFixture gateway) : IClassFixture<BoundedDrainFixture>
{
    [Fact]
    public async Task Past_the_drain_limit_the_record_is_estimated_from_the_request_and_the_catalog()
    {
        var key = await gateway.CreateKeyAsync("bounded");
        using var request = GeminiRequests.Generate(key.Key, model: "gemini-3-pro-image-preview", body: RequestBodies.Generate(imageSize: "4K"));
        var id = GeminiRequests.RequestId(request);
        request.Headers.Add(FakeHeaders.ImageBytes, (8 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture));

        using (var response = await gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            await using var body = await response.Content.ReadAsStreamAsync();
            await body.ReadExactlyAsync(new byte[4096]);
        }

        var record = Assert.Single(await gateway.RecordsAsync([id], TimeSpan.FromSeconds(20)), r => r.RequestId == id);
        Assert.Equal((UsageOutcome.ClientAborted, UsageCostBasis.Estimated), (record.Outcome, record.CostBasis));
        // The catalog's tokens for one 4K image of this model, and the prompt from the request's size.
        Assert.Equal((2000L, 1), (record.OutputImageTokens, record.Images));
        Assert.True(record.PromptTokens > 0);
        var expected = ((record.PromptTokens * 2.00m) + (2000 * 120m)) / 1_000_000m * 1.1m;
        Assert.Equal(expected, record.ChargebackCost);
    }
}

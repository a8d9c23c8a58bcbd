using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

using Routescope.Gateway.Billing;
using Routescope.Gateway.Catalog;
using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Catalog;

/// <summary>The shipped appsettings.json reproduces the seed document, and a broken catalog stops the start.</summary>
public sealed class CatalogConfigurationTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private static readonly string[] Standard = ["1:1", "3:2", "2:3", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9"];
    private static readonly string[] Mimes = ["image/png", "image/jpeg", "image/webp", "image/heic", "image/heif"];

    [Fact]
    public void The_default_catalog_is_the_seed_document()
    {
        var catalog = gateway.Factory.Services.GetRequiredService<ModelCatalog>();
        var flash25 = catalog.Find("gemini-2.5-flash-image")!;
        var pro3 = catalog.Find("gemini-3-pro-image-preview")!;
        var flash31 = catalog.Find("gemini-3.1-flash-image-preview")!;

        Assert.Equal(Standard, flash25.AspectRatios);
        Assert.Equal(Standard, pro3.AspectRatios);
        Assert.Equal(["1:1", "1:4", "1:8", "2:3", "3:2", "3:4", "4:1", "4:3", "4:5", "5:4", "8:1", "9:16", "16:9", "21:9"], flash31.AspectRatios);
        Assert.Empty(flash25.ImageSizes);
        Assert.Empty(flash31.ImageSizes);
        Assert.Equal(["1K", "2K", "4K"], pro3.ImageSizes);
        Assert.Equal("1K", pro3.DefaultImageSize);
        foreach (var model in new[] { flash25, pro3, flash31 })
        {
            Assert.Equal("1:1", model.DefaultAspectRatio);
            Assert.Equal(Mimes, model.InlineMimeTypes);
            Assert.Equal(["TEXT", "IMAGE"], model.ResponseModalities);
            Assert.Equal("IMAGE", model.RequiredModality);
            Assert.Equal(1, model.MaxCandidateCount);
        }

        Assert.Equal(["gemini-2.5-flash-image"], flash31.Fallback);
        Assert.Equal(["gemini-3.1-flash-image-preview", "gemini-2.5-flash-image"], pro3.Fallback);
        Assert.Equal(1290, flash25.ImageTokens[ImageSizeTable.DefaultKey]);
        Assert.Equal((1120, 1120, 2000), (pro3.ImageTokens["1K"], pro3.ImageTokens["2K"], pro3.ImageTokens["4K"]));
        Assert.Equal(1120, flash31.ImageTokens[ImageSizeTable.DefaultKey]);
        foreach (var model in catalog.Models)
        {
            // Nothing is served at an unknown price: every shipped model carries every price it can be billed by.
            var prices = catalog.Find(model)!.Prices!;
            Assert.NotNull(prices.InputPerMillion);
            Assert.NotNull(prices.CachedInputPerMillion);
            Assert.NotNull(prices.OutputTextPerMillion);
        }

        // The seed's first example is a text model: it must work out of the box.
        var text = catalog.Find("gpt-4o-mini")!;
        Assert.False(text.GeneratesImages);
        Assert.Equal((0.15m, 0.075m, 0.6m), (text.Prices!.InputPerMillion, text.Prices.CachedInputPerMillion, text.Prices.OutputTextPerMillion));
    }

    [Theory]
    [InlineData("Models:Catalog:gemini-2.5-flash-image:AspectRatios:0", "sixteen-by-nine", "Models:Catalog:gemini-2.5-flash-image:AspectRatios:0")]
    [InlineData("Models:Catalog:gemini-2.5-flash-image:Fallback:0", "gemini-9-ultra", "Models:Catalog:gemini-2.5-flash-image:Fallback:0")]
    [InlineData("Models:Catalog:gemini-2.5-flash-image:Fallback:0", "gemini-3-pro-image-preview", "loops")]
    [InlineData("Models:Catalog:gemini-9-flash:GeneratesImages", "false", "Models:Catalog:gemini-9-flash:Prices is missing")]
    [InlineData("Models:Catalog:gemini-2.5-flash-image:Prices:OutputTextPerMillion", "-1", "Models:Catalog:gemini-2.5-flash-image:Prices:OutputTextPerMillion must not be negative")]
    [InlineData("Models:Catalog:gemini-3-pro-image-preview:Prices:PerImage:1K", "0.134", "Models:Catalog:gemini-3-pro-image-preview:Prices:PerImage:2K is missing")]
    [InlineData("Models:Catalog:gemini-3-pro-image-preview:ImageTokens:8K", "4000", "Models:Catalog:gemini-3-pro-image-preview:ImageTokens:8K")]
    [InlineData("Limits:MaxJsonDepth", "2", "Limits:MaxJsonDepth")]
    [InlineData("Limits:MaxJsonDepth", "65", "Limits:MaxJsonDepth must be between 8 and 64")]
    [InlineData("Telemetry:MetricsPath", "metrics", "Telemetry:MetricsPath")]
    [InlineData("Billing:GroupRatios:free", "0", "Billing:GroupRatios:free is 0")]
    [InlineData("Billing:ChannelRatios:routescope", "0", "Billing:ChannelRatios:routescope is 0")]
    public async Task A_broken_catalog_stops_the_start_with_a_message_naming_the_setting(string key, string value, string expected)
    {
        var settings = gateway.Settings();
        settings[key] = value;
        await using var broken = new GatewayFactory(settings);

        var exception = Assert.ThrowsAny<Exception>(broken.StartServer);
        var messages = string.Join(" | ", Flatten(exception).Select(e => e.Message));

        Assert.Contains(expected, messages, StringComparison.Ordinal);
        Assert.Contains(Flatten(exception), e => e is OptionsValidationException);
    }

    [Fact]
    public async Task A_zero_ratio_starts_when_it_is_asked_for()
    {
        var settings = gateway.ReplicaSettings("zero-ratio");
        settings["Billing:GroupRatios:free"] = "0";
        settings["Billing:AllowZeroRatios"] = "true";
        await using var allowed = new GatewayFactory(settings);

        allowed.StartServer();

        Assert.Equal(0m, allowed.Services.GetRequiredService<IOptions<BillingOptions>>().Value.GroupRatio("free"));
    }

    private static IEnumerable<Exception> Flatten(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            yield return current;
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Flatten))
                {
                    yield return inner;
                }
            }
        }
    }
}

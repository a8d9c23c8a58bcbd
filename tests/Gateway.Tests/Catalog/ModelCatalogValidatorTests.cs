using Microsoft.Extensions.Options;

using Routescope.Gateway.Catalog;

namespace Routescope.Gateway.Tests.Catalog;

public sealed class ModelCatalogValidatorTests
{
    [Fact]
    public void A_sound_catalog_passes()
    {
        var options = Catalog(("a", Model(fallback: ["b"])), ("b", Model()));

        Assert.True(Validate(options).Succeeded);
    }

    [Theory]
    [InlineData("16x9")]
    [InlineData("wide")]
    [InlineData("0:1")]
    [InlineData("16:")]
    public void An_unknown_ratio_string_fails_naming_the_setting(string ratio)
    {
        var result = Validate(Catalog(("m", Model(ratios: ["1:1", ratio]))));

        Assert.True(result.Failed);
        Assert.Contains("Models:Catalog:m:AspectRatios:1", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_without_prices_fails_naming_the_setting()
    {
        var model = Model();
        model.Prices = null;

        Assert.Contains("Models:Catalog:m:Prices is missing", Validate(Catalog(("m", model))).FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void An_image_model_without_an_image_price_or_tokens_per_image_fails_naming_each_setting()
    {
        var model = Model();
        model.Prices!.OutputImagePerMillion = null;
        model.ImageTokens.Clear();

        var message = Validate(Catalog(("m", model))).FailureMessage;

        Assert.Contains("Models:Catalog:m:Prices:OutputImagePerMillion is missing", message, StringComparison.Ordinal);
        Assert.Contains("Models:Catalog:m:ImageTokens:Default is missing", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_per_image_price_stands_in_for_the_image_token_price_but_must_cover_every_size()
    {
        var model = Model();
        model.ImageSizes = ["1K", "4K"];
        model.ImageTokens = new() { ["1K"] = 1120, ["4K"] = 2000 };
        model.Prices!.OutputImagePerMillion = null;
        model.Prices.PerImage = new() { ["1K"] = 0.134m };

        var message = Validate(Catalog(("m", model))).FailureMessage;

        Assert.DoesNotContain("OutputImagePerMillion", message, StringComparison.Ordinal);
        Assert.Contains("Models:Catalog:m:Prices:PerImage:4K is missing", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fallback_to_an_unknown_model_fails_naming_the_setting()
    {
        var result = Validate(Catalog(("m", Model(fallback: ["nope"]))));

        Assert.Contains("Models:Catalog:m:Fallback:0: 'nope' is not a model of the catalog", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_name_not_in_lower_case_fails_naming_the_setting_and_its_lower_case_spelling()
    {
        var result = Validate(Catalog(("Gemini-X", Model()), ("m", Model(fallback: ["Gemini-X"]))));

        Assert.Contains("Models:Catalog:Gemini-X: 'Gemini-X' must be written in lower case ('gemini-x')", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Models:Catalog:m:Fallback:0: 'Gemini-X' must be written in lower case ('gemini-x')", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fallback_cycle_fails()
    {
        var result = Validate(Catalog(("a", Model(fallback: ["b"])), ("b", Model(fallback: ["c"])), ("c", Model(fallback: ["a"]))));

        Assert.True(result.Failed);
        Assert.Contains("loops", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_and_sizes_outside_their_sets_fail()
    {
        var model = Model(ratios: ["1:1"]);
        model.DefaultAspectRatio = "16:9";
        model.ImageSizes = ["1K", "3K"];
        model.DefaultImageSize = "2K";

        var message = Validate(Catalog(("m", model))).FailureMessage;

        Assert.Contains("Models:Catalog:m:DefaultAspectRatio", message, StringComparison.Ordinal);
        Assert.Contains("Models:Catalog:m:ImageSizes:1", message, StringComparison.Ordinal);
        Assert.Contains("Models:Catalog:m:DefaultImageSize", message, StringComparison.Ordinal);
    }

    private static ValidateOptionsResult Validate(ModelCatalogOptions options) =>
        new ModelCatalogValidator(Options.Create(new RequestLimitsOptions())).Validate(null, options);

    private static ModelCatalogOptions Catalog(params (string Name, ModelOptions Model)[] models)
    {
        var options = new ModelCatalogOptions();
        foreach (var (name, model) in models)
        {
            options.Catalog[name] = model;
        }

        return options;
    }

    private static ModelOptions Model(List<string>? ratios = null, List<string>? fallback = null) => new()
    {
        GeneratesImages = true,
        AspectRatios = ratios ?? ["1:1"],
        ResponseModalities = ["TEXT", "IMAGE"],
        InlineMimeTypes = ["image/png"],
        Fallback = fallback ?? [],
        ImageTokens = new() { [ImageSizeTable.DefaultKey] = 1290 },
        Prices = new() { InputPerMillion = 0.3m, OutputTextPerMillion = 2.5m, OutputImagePerMillion = 30m },
    };
}

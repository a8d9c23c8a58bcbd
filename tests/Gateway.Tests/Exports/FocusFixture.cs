using Routescope.Gateway.Tests.Infrastructure;
using Routescope.Gateway.Tests.Usage;

namespace Routescope.Gateway.Tests.Exports;

/// <summary>
/// The usage gateway (channel ratio 1.1, group "discounted" 0.8) with gemini-3-pro-image-preview billed per image
/// instead of per image token, and models outside the catalog served unpriced: every kind of FOCUS charge, and a
/// record FOCUS cannot carry.
/// </summary>
public sealed class FocusFixture : UsageFixture
{
    public static readonly Dictionary<string, decimal> ProPerImage = new(StringComparer.Ordinal) { ["1K"] = 0.134m, ["2K"] = 0.134m, ["4K"] = 0.24m };

    protected override GatewayFactory CreateFactory(Dictionary<string, string?> settings)
    {
        foreach (var (size, price) in ProPerImage)
        {
            settings[$"Models:Catalog:gemini-3-pro-image-preview:Prices:PerImage:{size}"] = price.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        settings["Billing:UnpricedModels"] = "Record";
        return base.CreateFactory(settings);
    }
}

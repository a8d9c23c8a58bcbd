namespace Routescope.Gateway.Catalog;

/// <summary>The <c>Models</c> section: per-model capabilities and prices (models it does not list: <c>Billing:UnpricedModels</c>).</summary>
internal sealed class ModelCatalogOptions
{
    public const string SectionName = "Models";

    public Dictionary<string, ModelOptions> Catalog { get; set; } = new(StringComparer.Ordinal);
}

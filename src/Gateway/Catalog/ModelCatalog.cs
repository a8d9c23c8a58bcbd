using Microsoft.Extensions.Options;

namespace Routescope.Gateway.Catalog;

/// <summary>The configured models, validated at start.</summary>
internal sealed class ModelCatalog(IOptions<ModelCatalogOptions> options)
{
    /// <summary>The <c>model</c> label of a model outside the catalog (and of a request that named none).</summary>
    public const string OtherModelLabel = "other";

    public IEnumerable<string> Models => options.Value.Catalog.Keys;

    public ModelOptions? Find(string model) => options.Value.Catalog.TryGetValue(model, out var settings) ? settings : null;

    /// <summary>
    /// The model as a metric label: a catalog model by its name, anything else as <see cref="OtherModelLabel"/>. A
    /// client chooses the path's model (served with <c>Billing:UnpricedModels=Record</c>), so naming it would let clients
    /// create series without bound; the catalog is the operator's.
    /// </summary>
    public string Label(string? model) => model is not null && options.Value.Catalog.ContainsKey(model) ? model : OtherModelLabel;
}

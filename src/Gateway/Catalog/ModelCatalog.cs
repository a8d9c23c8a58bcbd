using Microsoft.Extensions.Options;

namespace Routescope.Gateway.Catalog;

/// <summary>The configured models, validated at start.</summary>
internal sealed class ModelCatalog(IOptions<ModelCatalogOptions> options)
{
    public IEnumerable<string> Models => options.Value.Catalog.Keys;

    public ModelOptions? Find(string model) => options.Value.Catalog.TryGetValue(model, out var settings) ? settings : null;
}

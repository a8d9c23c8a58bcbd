namespace Routescope.Gateway.Catalog;

/// <summary>The <c>Models</c> section: per-model capabilities, and what to do with models it does not list.</summary>
internal sealed class ModelCatalogOptions
{
    public const string SectionName = "Models";

    /// <summary>Refuse (404) models not in <see cref="Catalog"/> instead of passing them with generic checks.</summary>
    public bool RejectUnknown { get; set; }

    public Dictionary<string, ModelOptions> Catalog { get; set; } = new(StringComparer.Ordinal);
}

namespace Routescope.Gateway.Catalog;

/// <summary>
/// Lookups in the catalog's tables keyed by <c>imageSize</c> (tokens per image, price per image): the size the
/// request asked for, else the <see cref="DefaultKey"/> entry, which models without sizes use for every request.
/// </summary>
internal static class ImageSizeTable
{
    public const string DefaultKey = "Default";

    public static bool TryFind<T>(IReadOnlyDictionary<string, T> table, string? imageSize, out T value) =>
        (imageSize is not null && table.TryGetValue(imageSize, out value!)) || table.TryGetValue(DefaultKey, out value!);

    /// <summary>
    /// The keys a request for this model can end up looking up: each accepted size, and the default key when a request
    /// may name none and the model has no default size.
    /// </summary>
    public static IEnumerable<string> SizesOf(ModelOptions model) =>
        model.DefaultImageSize is null ? [.. model.ImageSizes, DefaultKey] : model.ImageSizes;

    public static bool IsKey(string key) => key == DefaultKey || ImageSizes.Known.Contains(key, StringComparer.Ordinal);
}

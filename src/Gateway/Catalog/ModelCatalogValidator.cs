using Microsoft.Extensions.Options;

using Routescope.Gateway.Gemini;

namespace Routescope.Gateway.Catalog;

/// <summary>
/// Fails the start on a catalog that cannot be right, naming the setting: a malformed ratio or size, a default outside
/// its set, a missing or negative price, an image model without tokens per image, a fallback to an unknown model, a
/// fallback cycle, a model name (or fallback) not written in lower case, the one spelling paths are matched in.
/// </summary>
internal sealed class ModelCatalogValidator(IOptions<RequestLimitsOptions> limits) : IValidateOptions<ModelCatalogOptions>
{
    public ValidateOptionsResult Validate(string? name, ModelCatalogOptions options)
    {
        var failures = new List<string>();
        foreach (var (model, settings) in options.Catalog)
        {
            var at = $"Models:Catalog:{model}";
            if (!ModelName.IsValid(model))
            {
                failures.Add($"{at}: '{model}' is not a valid model name.");
            }
            else if (!ModelName.IsLowerCase(model))
            {
                // Paths are lower-cased before the catalog is asked, so this entry could never be found.
                failures.Add($"{at}: '{model}' must be written in lower case ('{ModelName.Normalise(model)}'): model names are case-insensitive and matched in lower case.");
            }

            for (var i = 0; i < settings.AspectRatios.Count; i++)
            {
                if (!AspectRatio.TryParse(settings.AspectRatios[i], out _))
                {
                    failures.Add($"{at}:AspectRatios:{i}: '{settings.AspectRatios[i]}' is not a ratio such as 16:9.");
                }
            }

            if (settings.DefaultAspectRatio is { } defaultRatio && !settings.AspectRatios.Contains(defaultRatio, StringComparer.Ordinal))
            {
                failures.Add($"{at}:DefaultAspectRatio: '{defaultRatio}' is not one of its AspectRatios.");
            }

            for (var i = 0; i < settings.ImageSizes.Count; i++)
            {
                if (!ImageSizes.Known.Contains(settings.ImageSizes[i], StringComparer.Ordinal))
                {
                    failures.Add($"{at}:ImageSizes:{i}: '{settings.ImageSizes[i]}' is not one of {string.Join(", ", ImageSizes.Known)}.");
                }
            }

            if (settings.DefaultImageSize is { } defaultSize && !settings.ImageSizes.Contains(defaultSize, StringComparer.Ordinal))
            {
                failures.Add($"{at}:DefaultImageSize: '{defaultSize}' is not one of its ImageSizes.");
            }

            for (var i = 0; i < settings.ResponseModalities.Count; i++)
            {
                if (!Modalities.Known.Contains(settings.ResponseModalities[i], StringComparer.Ordinal))
                {
                    failures.Add($"{at}:ResponseModalities:{i}: '{settings.ResponseModalities[i]}' is not one of {string.Join(", ", Modalities.Known)}.");
                }
            }

            if (settings.RequiredModality is { } required && !settings.ResponseModalities.Contains(required, StringComparer.Ordinal))
            {
                failures.Add($"{at}:RequiredModality: '{required}' is not one of its ResponseModalities.");
            }

            for (var i = 0; i < settings.InlineMimeTypes.Count; i++)
            {
                if (!MimeTypes.IsWellFormed(settings.InlineMimeTypes[i]))
                {
                    failures.Add($"{at}:InlineMimeTypes:{i}: '{settings.InlineMimeTypes[i]}' is not a MIME type such as image/png.");
                }
            }

            if (settings.MaxCandidateCount < 1)
            {
                failures.Add($"{at}:MaxCandidateCount must be at least 1.");
            }

            if (settings.MaxInlineImages < 0 || settings.MaxImageBytes < 0 || settings.MaxTotalImageBytes < 0)
            {
                failures.Add($"{at}: MaxInlineImages, MaxImageBytes and MaxTotalImageBytes must not be negative.");
            }

            if (settings.MaxRequestBytes is { } maxRequest && (maxRequest < 1 || maxRequest > limits.Value.MaxRequestBytes))
            {
                failures.Add($"{at}:MaxRequestBytes must be between 1 and Limits:MaxRequestBytes ({limits.Value.MaxRequestBytes}).");
            }

            failures.AddRange(PriceFailures(at, settings));
            failures.AddRange(SizeTableFailures($"{at}:ImageTokens", settings, settings.ImageTokens, required: settings.GeneratesImages, t => t > 0));

            for (var i = 0; i < settings.Fallback.Count; i++)
            {
                var next = settings.Fallback[i];
                if (!ModelName.IsLowerCase(next))
                {
                    failures.Add($"{at}:Fallback:{i}: '{next}' must be written in lower case ('{ModelName.Normalise(next)}').");
                }
                else if (!options.Catalog.ContainsKey(next))
                {
                    failures.Add($"{at}:Fallback:{i}: '{next}' is not a model of the catalog.");
                }
                else if (string.Equals(next, model, StringComparison.Ordinal))
                {
                    failures.Add($"{at}:Fallback:{i}: a model cannot fall back to itself.");
                }
            }
        }

        failures.AddRange(FindCycles(options));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Every amount the model can be billed by is set and not negative: a missing one would be free.</summary>
    private static IEnumerable<string> PriceFailures(string at, ModelOptions settings)
    {
        if (settings.Prices is not { } prices)
        {
            yield return $"{at}:Prices is missing: a model without prices would be served for free (set InputPerMillion, OutputTextPerMillion and, for image models, OutputImagePerMillion or PerImage).";
            yield break;
        }

        var named = new (string Name, decimal? Value, bool Required)[]
        {
            ("InputPerMillion", prices.InputPerMillion, true),
            ("CachedInputPerMillion", prices.CachedInputPerMillion, false),
            ("OutputTextPerMillion", prices.OutputTextPerMillion, true),
            ("OutputImagePerMillion", prices.OutputImagePerMillion, settings.GeneratesImages && prices.PerImage.Count == 0),
        };
        foreach (var (name, value, required) in named)
        {
            if (value is null && required)
            {
                yield return $"{at}:Prices:{name} is missing.";
            }
            else if (value < 0)
            {
                yield return $"{at}:Prices:{name} must not be negative.";
            }
        }

        foreach (var failure in SizeTableFailures($"{at}:Prices:PerImage", settings, prices.PerImage, required: prices.PerImage.Count > 0, price => price >= 0))
        {
            yield return failure;
        }
    }

    /// <summary>
    /// A table keyed by image size names only sizes Gemini knows, holds valid values, and, when required, has an entry
    /// for every size a request for the model can end up with (or a Default entry).
    /// </summary>
    private static IEnumerable<string> SizeTableFailures<T>(string at, ModelOptions settings, Dictionary<string, T> table, bool required, Func<T, bool> valid)
    {
        foreach (var (size, value) in table)
        {
            if (!ImageSizeTable.IsKey(size))
            {
                yield return $"{at}:{size}: '{size}' is not one of {string.Join(", ", ImageSizes.Known)} or {ImageSizeTable.DefaultKey}.";
            }
            else if (!valid(value))
            {
                yield return $"{at}:{size}: {value} is not a valid amount.";
            }
        }

        if (!required)
        {
            yield break;
        }

        foreach (var size in ImageSizeTable.SizesOf(settings))
        {
            if (!ImageSizeTable.TryFind(table, size, out _))
            {
                yield return $"{at}:{size} is missing (or set {ImageSizeTable.DefaultKey}).";
            }
        }
    }

    /// <summary>A chain may name models that have chains of their own; following them must end.</summary>
    private static IEnumerable<string> FindCycles(ModelCatalogOptions options)
    {
        foreach (var start in options.Catalog.Keys)
        {
            var path = new List<string> { start };
            if (Visit(options, start, path) is { } cycle)
            {
                yield return $"Models:Catalog:{start}:Fallback: the chain loops ({string.Join(" -> ", cycle)}).";
            }
        }
    }

    private static List<string>? Visit(ModelCatalogOptions options, string model, List<string> path)
    {
        if (!options.Catalog.TryGetValue(model, out var settings))
        {
            return null;
        }

        foreach (var next in settings.Fallback)
        {
            if (path.Contains(next, StringComparer.Ordinal))
            {
                return [.. path, next];
            }

            path.Add(next);
            if (Visit(options, next, path) is { } cycle)
            {
                return cycle;
            }

            path.RemoveAt(path.Count - 1);
        }

        return null;
    }
}

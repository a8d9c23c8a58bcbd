using System.Text;

using Routescope.Gateway.Catalog;
using Routescope.Gateway.Gemini;

namespace Routescope.Gateway.Fallback;

/// <summary>
/// Fits a request to another model of its chain where the catalog allows it: an <c>imageSize</c> the model does not
/// take is dropped, an aspect ratio it lacks becomes its nearest ratio (by logarithm, so 1:8 goes to 9:16, not 1:1).
/// </summary>
internal static class BodyAdapter
{
    /// <summary>The adapted request, or null when the model cannot take it (or adaptation is off and it would need it).</summary>
    public static BodyAdaptation? Adapt(InspectedRequest request, string model, ModelOptions target, IncompatibleModelMode mode)
    {
        var shape = request.Shape;
        var edits = new List<(BodyRange, ReadOnlyMemory<byte>)>(2);
        var changes = new List<string>(2);

        if (shape.AspectRatio is { } ratio && !target.AspectRatios.Contains(ratio.Value, StringComparer.Ordinal))
        {
            if (Nearest(ratio.Value, target.AspectRatios) is not { } nearest || shape.AspectRatioToken is not { } token)
            {
                return null;
            }

            edits.Add((token, Encoding.UTF8.GetBytes("\"" + nearest + "\"")));
            changes.Add($"aspectRatio {ratio.Value}->{nearest}");
            shape = shape with { AspectRatio = ratio with { Value = nearest } };
        }

        if (shape.ImageSize is { } size && !target.ImageSizes.Contains(size.Value, StringComparer.Ordinal))
        {
            if (shape.ImageSizeProperty is not { } property)
            {
                return null;
            }

            edits.Add((property, ReadOnlyMemory<byte>.Empty));
            changes.Add("imageSize dropped");
            shape = shape with { ImageSize = null };
        }

        if (changes.Count > 0 && mode == IncompatibleModelMode.Skip)
        {
            return null;
        }

        return new BodyAdaptation
        {
            Model = model,
            Body = edits.Count == 0 ? request.Body : BodySplicer.Splice(request.Body, edits),
            Shape = shape,
            Changes = changes,
        };
    }

    /// <summary>The supported ratio closest to the requested one on a log scale; ties go to the earlier entry.</summary>
    public static string? Nearest(string requested, IReadOnlyList<string> supported)
    {
        if (!AspectRatio.TryParse(requested, out var wanted))
        {
            return null;
        }

        string? best = null;
        var bestDistance = double.MaxValue;
        foreach (var candidate in supported)
        {
            if (AspectRatio.TryParse(candidate, out var ratio) && Math.Abs(ratio.LogValue - wanted.LogValue) is var distance && distance < bestDistance - 1e-12)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }
}

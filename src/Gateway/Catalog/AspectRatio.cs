using System.Globalization;

namespace Routescope.Gateway.Catalog;

/// <summary>An aspect ratio <c>W:H</c> such as <c>16:9</c>.</summary>
internal readonly record struct AspectRatio(int Width, int Height)
{
    /// <summary>Log of width over height: the distance that makes 1:8 nearer to 9:16 than to 1:1.</summary>
    public double LogValue => Math.Log((double)Width / Height);

    public static bool TryParse(string? text, out AspectRatio ratio)
    {
        ratio = default;
        if (text is null)
        {
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0
            || !int.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var width)
            || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var height)
            || width is < 1 or > 100 || height is < 1 or > 100)
        {
            return false;
        }

        ratio = new AspectRatio(width, height);
        return true;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Width}:{Height}");
}

using System.Globalization;

namespace Routescope.Gateway.Exports;

/// <summary>
/// The one rounding rule of every export: amounts are stored at full precision and shown with <see cref="Scale"/>
/// decimal places, rounded half to even, the same in every row and format. A grouped row rounds its full-precision
/// sum, so regrouped rounded rows may differ from it by at most half a unit of the last place per row added.
/// </summary>
internal static class ExportMoney
{
    public const int Scale = 10;

    public static decimal Round(decimal amount) => Math.Round(amount, Scale, MidpointRounding.ToEven);

    public static string Format(decimal amount) => Round(amount).ToString("F10", CultureInfo.InvariantCulture);
}

using System.Globalization;

namespace Routescope.Gateway.Policy.Budgets;

/// <summary>Budgets run per calendar month in UTC, named <c>yyyy-MM</c>; a record counts in the month it started.</summary>
internal static class BudgetMonth
{
    public static string Of(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>When the month of <paramref name="at"/> ends (and its budget starts afresh).</summary>
    public static DateTimeOffset End(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
    }
}

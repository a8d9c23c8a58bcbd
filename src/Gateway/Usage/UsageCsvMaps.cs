using System.Globalization;

using CsvHelper.Configuration;

namespace Routescope.Gateway.Usage;

/// <summary>CSV columns: snake_case headers, ISO-8601 UTC times, invariant numbers.</summary>
internal static class UsageCsvMaps
{
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static void Apply<T>(ClassMap<T> map, bool snakeCase)
    {
        map.AutoMap(CultureInfo.InvariantCulture);
        foreach (var member in map.MemberMaps)
        {
            var property = member.Data.Member!;
            if (snakeCase)
            {
                member.Name(SnakeCase(property.Name));
            }

            if (member.Data.Type == typeof(DateTimeOffset) || member.Data.Type == typeof(DateTimeOffset?))
            {
                member.TypeConverterOption.Format(TimeFormat);
            }
        }
    }

    private static string SnakeCase(string name)
    {
        var result = new System.Text.StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                result.Append('_');
            }

            result.Append(char.ToLowerInvariant(name[i]));
        }

        return result.ToString();
    }
}

internal sealed class UsageRecordCsvMap : ClassMap<UsageRecord>
{
    public UsageRecordCsvMap() => UsageCsvMaps.Apply(this, snakeCase: true);
}

internal sealed class UsageAggregateCsvMap : ClassMap<UsageAggregate>
{
    public UsageAggregateCsvMap() => UsageCsvMaps.Apply(this, snakeCase: true);
}

/// <summary>FOCUS keeps its own PascalCase column names.</summary>
internal sealed class FocusRowCsvMap : ClassMap<FocusRow>
{
    public FocusRowCsvMap() => UsageCsvMaps.Apply(this, snakeCase: false);
}

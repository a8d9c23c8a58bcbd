using System.Globalization;
using System.Text.Json;

using CsvHelper.Configuration;

namespace Routescope.Gateway.Usage;

/// <summary>CSV columns: snake_case headers, ISO-8601 UTC times, invariant numbers.</summary>
internal static class UsageCsvMaps
{
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>The header of a property's column, e.g. <c>TimeToFirstByteMs</c> → <c>time_to_first_byte_ms</c>.</summary>
    public static string Header(string property) => JsonNamingPolicy.SnakeCaseLower.ConvertName(property);

    /// <summary>Maps every property of <typeparamref name="T"/>, in declaration order.</summary>
    public static void Apply<T>(ClassMap<T> map, bool snakeCase)
    {
        map.AutoMap(CultureInfo.InvariantCulture);
        foreach (var member in map.MemberMaps)
        {
            if (snakeCase)
            {
                member.Name(Header(member.Data.Member!.Name));
            }

            if (member.Data.Type == typeof(DateTimeOffset) || member.Data.Type == typeof(DateTimeOffset?))
            {
                member.TypeConverterOption.Format(TimeFormat);
            }
        }
    }
}

using CsvHelper.Configuration;

namespace Routescope.Gateway.Usage;

/// <summary>One CSV row per record: the columns of <see cref="UsageColumns"/>, in its order.</summary>
internal sealed class UsageRecordCsvMap : ClassMap<UsageRecord>
{
    public UsageRecordCsvMap()
    {
        foreach (var column in UsageColumns.All)
        {
            var member = Map(typeof(UsageRecord), column.Property).Name(UsageCsvMaps.Header(column.Property.Name));
            if (column.Type == UsageColumnType.Timestamp)
            {
                member.TypeConverterOption.Format(UsageCsvMaps.TimeFormat);
            }
        }
    }
}

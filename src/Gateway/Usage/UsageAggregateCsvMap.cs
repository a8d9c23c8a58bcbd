using CsvHelper.Configuration;

namespace Routescope.Gateway.Usage;

internal sealed class UsageAggregateCsvMap : ClassMap<UsageAggregate>
{
    public UsageAggregateCsvMap() => UsageCsvMaps.Apply(this, snakeCase: true);
}

using CsvHelper.Configuration;

namespace Routescope.Gateway.Usage;

/// <summary>FOCUS keeps its own PascalCase column names.</summary>
internal sealed class FocusRowCsvMap : ClassMap<FocusRow>
{
    public FocusRowCsvMap() => UsageCsvMaps.Apply(this, snakeCase: false);
}

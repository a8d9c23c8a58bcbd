using CsvHelper.Configuration;

namespace Routescope.Gateway.Usage;

/// <summary>FOCUS keeps its own PascalCase column names.</summary>
internal sealed class FocusRowCsvMap : ClassMap<FocusRow>
{
    public FocusRowCsvMap()
    {
        UsageCsvMaps.Apply(this, snakeCase: false);
        // Columns FOCUS does not define carry its x_ prefix.
        Map(row => row.CostBasis).Name("x_CostBasis");
    }
}

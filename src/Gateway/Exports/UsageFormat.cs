namespace Routescope.Gateway.Exports;

/// <summary>The export formats: the records or aggregates as CSV, JSON or a spreadsheet (xlsx), or FinOps FOCUS rows as CSV.</summary>
internal enum UsageFormat
{
    Csv,
    Json,
    Focus,

    /// <summary>An Office Open XML workbook for people: typed cells, titled columns, a sheet explaining them, totals.</summary>
    Xlsx,
}

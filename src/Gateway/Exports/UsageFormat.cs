namespace Routescope.Gateway.Exports;

/// <summary>The export formats: the records or aggregates as CSV or JSON, or FinOps FOCUS rows as CSV.</summary>
internal enum UsageFormat
{
    Csv,
    Json,
    Focus,
}

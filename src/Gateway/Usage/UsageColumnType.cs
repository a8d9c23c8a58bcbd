namespace Routescope.Gateway.Usage;

/// <summary>What a usage column holds; each store maps it to its own column type and encoding.</summary>
internal enum UsageColumnType
{
    Text,
    Int32,
    Int64,
    Double,

    /// <summary>Money and ratios: exact, never floating point.</summary>
    Decimal,

    /// <summary>An instant, UTC.</summary>
    Timestamp,
}

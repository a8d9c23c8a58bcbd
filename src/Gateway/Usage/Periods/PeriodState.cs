namespace Routescope.Gateway.Usage.Periods;

/// <summary>Where a month is in its life.</summary>
internal enum PeriodState
{
    /// <summary>Not over yet: records of it keep arriving.</summary>
    Open,

    /// <summary>Over, but within its grace or with records of it still on their way: its totals can still grow.</summary>
    Closing,

    /// <summary>Closed for good: its totals never change; a record of it arriving now is a correction in the next open month.</summary>
    Closed,
}

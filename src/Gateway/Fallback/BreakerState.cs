namespace Routescope.Gateway.Fallback;

internal enum BreakerState
{
    Closed,
    Open,
    HalfOpen,
}

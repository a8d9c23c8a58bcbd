namespace Routescope.Gateway.Fallback;

/// <summary>What to do with a fallback model that lacks a requested parameter.</summary>
internal enum IncompatibleModelMode
{
    Adapt,
    Skip,
}

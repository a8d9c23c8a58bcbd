namespace Routescope.Gateway.Billing;

/// <summary>
/// The prices one answer was billed at, as its record stores them: per million tokens of each kind, and the per-image
/// price for its image size when the model is billed per image (which replaces the image-token price).
/// </summary>
internal sealed record AppliedPrices(decimal Input, decimal CachedInput, decimal OutputText, decimal OutputImage, decimal? PerImage);

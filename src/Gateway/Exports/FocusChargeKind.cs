namespace Routescope.Gateway.Exports;

/// <summary>What one FOCUS row charges for: each kind has its own price, so its own SKU and row.</summary>
internal enum FocusChargeKind
{
    /// <summary>Uncached prompt tokens and tool-use prompt tokens, both billed at the input price.</summary>
    Input,

    CachedInput,

    OutputText,

    /// <summary>Thinking tokens: billed at the output text price, but a row of their own so finance sees them.</summary>
    Thinking,

    /// <summary>Image output tokens, for models billed by the token.</summary>
    OutputImage,

    /// <summary>Final images, for models billed per image (their image tokens are then not charged).</summary>
    Image,
}

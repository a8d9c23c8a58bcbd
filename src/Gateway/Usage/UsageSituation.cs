using Routescope.Gateway.Catalog;

namespace Routescope.Gateway.Usage;

/// <summary>What the assessment of one answer needs to know besides what metering saw.</summary>
internal sealed record UsageSituation
{
    /// <summary>The served model's catalog entry; null for a model outside it.</summary>
    public required ModelOptions? Model { get; init; }

    /// <summary>The size images were made at: the requested one, else the model's default.</summary>
    public required string? ImageSize { get; init; }

    /// <summary>The upstream answered with a status outside 2xx.</summary>
    public required bool ErrorAnswer { get; init; }

    /// <summary>
    /// A generation the upstream was sent in full: it did work it bills, whatever reached the gateway. False for the
    /// free operations and for requests that never reached it.
    /// </summary>
    public required bool Billable { get; init; }

    /// <summary>The answer was not seen to its end (the client left, the stream broke, the attempt was abandoned).</summary>
    public required bool Unfinished { get; init; }

    /// <summary>Images the request asks for (its candidate count, for a model that makes images); 0 otherwise.</summary>
    public required int ExpectedImages { get; init; }

    /// <summary>The prompt's tokens as estimated from the request.</summary>
    public required long EstimatedPromptTokens { get; init; }
}

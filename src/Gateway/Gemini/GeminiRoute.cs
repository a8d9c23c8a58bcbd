namespace Routescope.Gateway.Gemini;

/// <summary>What the path says about a proxied request.</summary>
internal sealed record GeminiRoute
{
    public required GeminiOperation Operation { get; init; }

    /// <summary>The model named in the path; null for the model list.</summary>
    public string? Model { get; init; }
}

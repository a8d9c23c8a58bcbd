namespace Routescope.Gateway.Inspection;

/// <summary>What the path says about a proxied request; set as a request feature once the path is accepted.</summary>
internal sealed record GeminiRoute
{
    public required GeminiOperation Operation { get; init; }

    /// <summary>The model named in the path; null for the model list.</summary>
    public string? Model { get; init; }
}

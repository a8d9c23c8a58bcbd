namespace Routescope.Gateway.Billing;

/// <summary>The tokens and images of one upstream answer by the kind they are priced at.</summary>
internal sealed record BillableUsage
{
    public static readonly BillableUsage None = new();

    /// <summary>All prompt tokens, cached ones included (as <c>promptTokenCount</c> counts them).</summary>
    public long PromptTokens { get; init; }

    /// <summary>The part of <see cref="PromptTokens"/> served from the context cache.</summary>
    public long CachedTokens { get; init; }

    /// <summary>Tokens of tool-use prompts, outside <see cref="PromptTokens"/>, billed as input.</summary>
    public long ToolUsePromptTokens { get; init; }

    public long OutputTextTokens { get; init; }

    /// <summary>Thinking tokens, billed as text output.</summary>
    public long ThoughtsTokens { get; init; }

    public long OutputImageTokens { get; init; }

    /// <summary>Output tokens: text and images, as <c>candidatesTokenCount</c> counts them.</summary>
    public long CandidatesTokens => OutputTextTokens + OutputImageTokens;

    /// <summary>Every token billed, as <c>totalTokenCount</c> counts them.</summary>
    public long TotalTokens => PromptTokens + CandidatesTokens + ThoughtsTokens + ToolUsePromptTokens;

    /// <summary>Final, complete images (interim thought images excluded).</summary>
    public int Images { get; init; }

    /// <summary>The <c>imageSize</c> the images were made at: the requested one, else the model's default.</summary>
    public string? ImageSize { get; init; }
}

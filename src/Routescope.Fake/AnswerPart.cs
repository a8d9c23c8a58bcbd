namespace Routescope.Fake;

/// <summary>One part of a candidate's content: text, or a generated image; either may be a thought.</summary>
internal sealed record AnswerPart
{
    public const string ThoughtSummary = "Planning the composition before drawing.";

    public string? Text { get; init; }

    /// <summary>Seed of the image's pseudo-random bytes; null for a text part.</summary>
    public ulong? ImageSeed { get; init; }

    public bool Thought { get; init; }

    /// <summary>Carries a thoughtSignature, as the final part after thinking does.</summary>
    public bool Signed { get; init; }

    public static AnswerPart Words(string text) => new() { Text = text };

    public static AnswerPart Thinking { get; } = new() { Text = ThoughtSummary, Thought = true };

    public static AnswerPart Image(ulong seed, bool thought = false, bool signed = false) => new() { ImageSeed = seed, Thought = thought, Signed = signed };
}

namespace Routescope.Fake;

/// <summary>One GenerateContentResponse: a whole answer, or one event of a stream.</summary>
internal sealed record AnswerEvent
{
    public required IReadOnlyList<AnswerPart> Parts { get; init; }

    /// <summary>Set on the last (or only) response only.</summary>
    public string? FinishReason { get; init; }

    public required UsageSnapshot Usage { get; init; }
}

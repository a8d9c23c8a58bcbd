namespace Routescope.Fake;

/// <summary>
/// How a generation is cut into responses. A stream sends, as real ones do, the thinking and the first words, then
/// each thought image, then the final image, each with cumulative usage (no candidates count yet), and last the
/// closing words with the finish reason and the totals. The last early event always reports the whole thinking, so a
/// field steered to appear only early still carries its full value. One JSON answer holds the same parts in order.
/// </summary>
internal static class AnswerEvents
{
    /// <summary>The stream's parts in one response, with the totals in full.</summary>
    public static IReadOnlyList<AnswerEvent> Whole(FakeGeneration generation)
    {
        var stream = Stream(generation);
        return [stream[^1] with { Parts = [.. stream.SelectMany(response => response.Parts)], Usage = generation.FinalUsage() }];
    }

    public static IReadOnlyList<AnswerEvent> Stream(FakeGeneration generation)
    {
        var early = new List<(List<AnswerPart> Parts, int ThoughtImagesDone)>();
        var (first, last) = generation.Text;
        var opening = new List<AnswerPart>();
        if (generation.ThoughtTextTokens > 0)
        {
            opening.Add(AnswerPart.Thinking);
        }

        if (first.Length > 0)
        {
            opening.Add(AnswerPart.Words(first));
        }

        if (opening.Count > 0)
        {
            early.Add((opening, 0));
        }

        for (var i = 0; i < generation.ThoughtImagesShown; i++)
        {
            early.Add(([AnswerPart.Image(ThoughtSeed(generation, i), thought: true)], i + 1));
        }

        if (generation.Images > 0)
        {
            early.Add(([AnswerPart.Image(generation.Seed, signed: generation.ThoughtsTokens > 0)], generation.ThoughtImages));
        }

        var events = new List<AnswerEvent>();
        for (var i = 0; i < early.Count; i++)
        {
            var done = i == early.Count - 1 ? generation.ThoughtImages : early[i].ThoughtImagesDone;
            events.Add(new AnswerEvent { Parts = early[i].Parts, Usage = generation.EarlyUsageAfter(done) });
        }

        // A field can only be left to the early events when there were some.
        var omitted = early.Count > 0 ? generation.EarlyUsage : EarlyUsageFields.None;
        List<AnswerPart> closing = last.Length > 0 ? [AnswerPart.Words(last)] : [];
        events.Add(new AnswerEvent { Parts = closing, FinishReason = generation.FinishReason, Usage = generation.FinalUsage(omitted) });
        return events;
    }

    /// <summary>Each thought image gets bytes of its own; xorshift needs a non-zero state.</summary>
    private static ulong ThoughtSeed(FakeGeneration generation, int index) => (generation.Seed ^ (0x9E3779B97F4A7C15UL * (ulong)(index + 1))) | 1;
}

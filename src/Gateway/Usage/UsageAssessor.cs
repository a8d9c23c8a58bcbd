using Routescope.Gateway.Billing;
using Routescope.Gateway.Gemini;

namespace Routescope.Gateway.Usage;

/// <summary>
/// Decides what one upstream answer bills from what metering saw of it: the usage as reported where it was seen,
/// the catalog's figures where the upstream did work it never reported, nothing for an error answer.
/// </summary>
internal static class UsageAssessor
{
    /// <summary>Finish reasons of an answer the upstream refused to give (it still bills the prompt and thinking).</summary>
    private static readonly string[] RefusalReasons =
    [
        "SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "RECITATION",
        "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION", "IMAGE_OTHER", "NO_IMAGE",
    ];

    private static readonly string[] FlagOrder =
    [
        UsageFlags.ImageTokensFromCatalog, UsageFlags.TotalMismatch, UsageFlags.InvalidCount,
        UsageFlags.TornUsage, UsageFlags.Refusal, UsageFlags.ErrorUsageIgnored,
    ];

    public static UsageAssessment Assess(ResponseObservation seen, UsageSituation situation)
    {
        var flags = new List<string>();
        var usage = seen.Usage;
        if (seen.UsageInvalid)
        {
            flags.Add(UsageFlags.InvalidCount);
        }

        if (seen.UsageTorn)
        {
            flags.Add(UsageFlags.TornUsage);
        }

        if (seen.BlockReason is not null || seen.FinishReasons.Any(reason => RefusalReasons.Contains(reason, StringComparer.Ordinal)))
        {
            flags.Add(UsageFlags.Refusal);
        }

        if (usage is not null && !usage.TotalMatches)
        {
            flags.Add(UsageFlags.TotalMismatch);
        }

        if (situation.ErrorAnswer)
        {
            // The upstream bills answers, not errors; usage in an error body is reported, not charged.
            if (usage is not null)
            {
                flags.Add(UsageFlags.ErrorUsageIgnored);
            }

            return Done(BillableUsage.None with { ImageSize = situation.ImageSize }, UsageCostBasis.Measured, flags);
        }

        if (!situation.Billable)
        {
            return Done(Measured(usage, seen.Images, situation, flags), UsageCostBasis.Measured, flags);
        }

        if (seen.Unmetered)
        {
            return Done(Estimate(usage, seen.Images, situation, sawTheEnd: false), UsageCostBasis.Unmetered, flags);
        }

        // The upstream did the work, but its answer never got to the usage that closes it (the stream broke, the
        // attempt was abandoned): a block before the finish reason is a running count, not the bill. Or the answer
        // closed without any usage.
        if (usage is null || (situation.Unfinished && seen.FinishReasons.Count == 0 && seen.BlockReason is null))
        {
            return Done(Estimate(usage, seen.Images, situation, sawTheEnd: !situation.Unfinished), UsageCostBasis.Estimated, flags);
        }

        var measured = Measured(usage, seen.Images, situation, flags);
        return Done(measured, flags.Contains(UsageFlags.ImageTokensFromCatalog) ? UsageCostBasis.Estimated : UsageCostBasis.Measured, flags);
    }

    private static BillableUsage Measured(TokenCounts? usage, int images, UsageSituation situation, List<string> flags)
    {
        if (usage is null)
        {
            return BillableUsage.None with { Images = images, ImageSize = situation.ImageSize };
        }

        var imageTokens = usage.OutputImageTokens;
        if (images > 0 && !usage.ReportsImageModality && UsageEstimator.TokensPerImage(situation.Model, situation.ImageSize) is > 0 and var perImage)
        {
            // Images came back but the details did not say what they cost: without this they would go at the text
            // price. The candidates count bounds the figure when the upstream gave one.
            var fromCatalog = images * perImage;
            imageTokens = usage.CandidatesTokens > 0 ? Math.Min(fromCatalog, usage.CandidatesTokens) : fromCatalog;
            flags.Add(UsageFlags.ImageTokensFromCatalog);
        }

        return new BillableUsage
        {
            PromptTokens = usage.PromptTokens,
            CachedTokens = usage.CachedContentTokens,
            ToolUsePromptTokens = usage.ToolUsePromptTokens,
            OutputTextTokens = Math.Max(0, usage.CandidatesTokens - imageTokens),
            ThoughtsTokens = usage.ThoughtsTokens,
            OutputImageTokens = imageTokens,
            Images = images,
            ImageSize = situation.ImageSize,
        };
    }

    /// <summary>
    /// What was reported is kept as a floor; the prompt, when unreported, comes from the request, the images from the
    /// catalog.
    /// </summary>
    private static BillableUsage Estimate(TokenCounts? usage, int images, UsageSituation situation, bool sawTheEnd)
    {
        // An answer read to its end says how many images it made; one cut short, or unreadable, is taken to make what
        // was asked.
        var expected = sawTheEnd ? images : Math.Max(images, situation.ExpectedImages);
        var reportedImage = usage?.OutputImageTokens ?? 0;
        return new BillableUsage
        {
            PromptTokens = usage is { PromptTokens: > 0 } ? usage.PromptTokens : situation.EstimatedPromptTokens,
            CachedTokens = usage?.CachedContentTokens ?? 0,
            ToolUsePromptTokens = usage?.ToolUsePromptTokens ?? 0,
            OutputTextTokens = usage is null ? 0 : Math.Max(0, usage.CandidatesTokens - reportedImage),
            ThoughtsTokens = usage?.ThoughtsTokens ?? 0,
            OutputImageTokens = Math.Max(reportedImage, expected * UsageEstimator.TokensPerImage(situation.Model, situation.ImageSize)),
            Images = expected,
            ImageSize = situation.ImageSize,
        };
    }

    private static UsageAssessment Done(BillableUsage billable, string basis, List<string> flags) =>
        new(billable, basis, FlagOrder.Where(flags.Contains).ToArray());
}

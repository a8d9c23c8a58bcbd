using Routescope.Gateway.Catalog;
using Routescope.Gateway.Gemini;
using Routescope.Gateway.Usage;

namespace Routescope.Gateway.Tests.Usage;

/// <summary>What one answer bills, and what that figure rests on, case by case.</summary>
public sealed class UsageAssessorTests
{
    private static readonly ModelOptions Pro3 = new()
    {
        GeneratesImages = true,
        ImageSizes = ["1K", "2K", "4K"],
        DefaultImageSize = "1K",
        ImageTokens = new() { ["1K"] = 1120, ["2K"] = 1120, ["4K"] = 2000 },
    };

    private static readonly Dictionary<string, long> Image2000 = new() { ["IMAGE"] = 2000 };

    [Fact]
    public void Reported_image_tokens_are_measured_and_the_rest_of_the_candidates_is_text()
    {
        var seen = Seen(new TokenCounts { PromptTokens = 30, CandidatesTokens = 2012, TotalTokens = 2042, ReportsTotal = true, CandidatesByModality = Image2000 }, images: 1);

        var assessment = UsageAssessor.Assess(seen, Situation());

        Assert.Equal(UsageCostBasis.Measured, assessment.CostBasis);
        Assert.Empty(assessment.Flags);
        Assert.Equal((30L, 12L, 2000L, 1), (assessment.Billable.PromptTokens, assessment.Billable.OutputTextTokens, assessment.Billable.OutputImageTokens, assessment.Billable.Images));
    }

    [Fact]
    public void Images_without_reported_image_tokens_take_the_catalogs_tokens_for_their_size_flagged()
    {
        // The upstream left out candidatesTokensDetails: without the catalog the image would go at the text price.
        var seen = Seen(new TokenCounts { PromptTokens = 30, CandidatesTokens = 2012 }, images: 1);

        var assessment = UsageAssessor.Assess(seen, Situation(imageSize: "4K"));

        Assert.Equal(UsageCostBasis.Estimated, assessment.CostBasis);
        Assert.Equal([UsageFlags.ImageTokensFromCatalog], assessment.Flags);
        Assert.Equal((2000L, 12L), (assessment.Billable.OutputImageTokens, assessment.Billable.OutputTextTokens));
    }

    [Fact]
    public void The_reported_candidates_bound_image_tokens_from_the_catalog()
    {
        var seen = Seen(new TokenCounts { PromptTokens = 30, CandidatesTokens = 1500 }, images: 1);

        var assessment = UsageAssessor.Assess(seen, Situation(imageSize: "4K"));

        Assert.Equal((1500L, 0L), (assessment.Billable.OutputImageTokens, assessment.Billable.OutputTextTokens));
    }

    [Fact]
    public void Cached_and_tool_use_tokens_are_carried_for_pricing()
    {
        var seen = Seen(new TokenCounts { PromptTokens = 1000, CachedContentTokens = 600, ToolUsePromptTokens = 200, CandidatesTokens = 50, ThoughtsTokens = 70 }, images: 0);

        var billable = UsageAssessor.Assess(seen, Situation(model: null)).Billable;

        Assert.Equal((1000L, 600L, 200L, 50L, 70L), (billable.PromptTokens, billable.CachedTokens, billable.ToolUsePromptTokens, billable.OutputTextTokens, billable.ThoughtsTokens));
    }

    [Fact]
    public void An_error_answer_bills_nothing_even_with_usage_in_its_body()
    {
        var seen = Seen(new TokenCounts { PromptTokens = 30, CandidatesTokens = 2012, CandidatesByModality = Image2000 }, images: 1);

        var assessment = UsageAssessor.Assess(seen, Situation() with { ErrorAnswer = true });

        Assert.Equal(0, assessment.Billable.PromptTokens + assessment.Billable.OutputImageTokens + assessment.Billable.Images);
        Assert.Equal([UsageFlags.ErrorUsageIgnored], assessment.Flags);
    }

    [Fact]
    public void A_stream_cut_after_its_first_event_keeps_the_reported_prompt_and_estimates_the_image()
    {
        // The first event reported the prompt only; the upstream went on to make (and bill) the image.
        var seen = Seen(new TokenCounts { PromptTokens = 30, TotalTokens = 30, ReportsTotal = true }, images: 0) with { Balanced = false };

        var assessment = UsageAssessor.Assess(seen, Situation(imageSize: "2K") with { Unfinished = true });

        Assert.Equal(UsageCostBasis.Estimated, assessment.CostBasis);
        Assert.Equal((30L, 1120L, 1), (assessment.Billable.PromptTokens, assessment.Billable.OutputImageTokens, assessment.Billable.Images));
    }

    [Fact]
    public void A_running_count_in_a_cut_stream_is_a_floor_not_the_bill()
    {
        // Real streams report usage on every chunk: a text preamble counted, the image not yet.
        var seen = Seen(new TokenCounts { PromptTokens = 500, CandidatesTokens = 6 }, images: 0) with { Balanced = false };

        var assessment = UsageAssessor.Assess(seen, Situation(imageSize: "4K") with { Unfinished = true });

        Assert.Equal(UsageCostBasis.Estimated, assessment.CostBasis);
        Assert.Equal((500L, 6L, 2000L), (assessment.Billable.PromptTokens, assessment.Billable.OutputTextTokens, assessment.Billable.OutputImageTokens));
    }

    [Fact]
    public void A_finished_answer_in_an_unfinished_response_is_billed_as_reported()
    {
        var seen = Seen(new TokenCounts { PromptTokens = 500, ThoughtsTokens = 80 }, images: 0) with { FinishReasons = ["IMAGE_SAFETY"], Balanced = false };

        var assessment = UsageAssessor.Assess(seen, Situation() with { Unfinished = true });

        Assert.Equal(UsageCostBasis.Measured, assessment.CostBasis);
        Assert.Equal((0L, 0), (assessment.Billable.OutputImageTokens, assessment.Billable.Images));
    }

    [Fact]
    public void Work_without_any_usage_is_estimated_from_the_request_and_the_images_asked_for()
    {
        var assessment = UsageAssessor.Assess(Seen(null, images: 0), Situation() with { Unfinished = true, ExpectedImages = 2, EstimatedPromptTokens = 77 });

        Assert.Equal(UsageCostBasis.Estimated, assessment.CostBasis);
        Assert.Equal((77L, 2240L, 2), (assessment.Billable.PromptTokens, assessment.Billable.OutputImageTokens, assessment.Billable.Images));
    }

    [Fact]
    public void An_answer_read_to_its_end_without_usage_is_not_assumed_to_have_made_images()
    {
        var assessment = UsageAssessor.Assess(Seen(null, images: 0), Situation() with { EstimatedPromptTokens = 77 });

        Assert.Equal(UsageCostBasis.Estimated, assessment.CostBasis);
        Assert.Equal((77L, 0L), (assessment.Billable.PromptTokens, assessment.Billable.OutputImageTokens));
    }

    [Fact]
    public void An_unreadable_answer_is_unmetered_at_an_estimate()
    {
        var assessment = UsageAssessor.Assess(Seen(null, images: 0) with { Unmetered = true, ContentEncoding = "zstd" }, Situation() with { EstimatedPromptTokens = 77 });

        Assert.Equal(UsageCostBasis.Unmetered, assessment.CostBasis);
        Assert.Equal((77L, 1120L), (assessment.Billable.PromptTokens, assessment.Billable.OutputImageTokens));
    }

    [Fact]
    public void Nothing_is_billed_for_a_request_the_upstream_never_got_whole()
    {
        var assessment = UsageAssessor.Assess(Seen(null, images: 0), Situation() with { Billable = false, Unfinished = true });

        Assert.Equal((0L, 0L), (assessment.Billable.PromptTokens, assessment.Billable.OutputImageTokens));
        Assert.Equal(UsageCostBasis.Measured, assessment.CostBasis);
    }

    [Theory]
    [InlineData("IMAGE_SAFETY", null)]
    [InlineData("NO_IMAGE", null)]
    [InlineData("STOP", "SAFETY")]
    public void A_refusal_is_billed_as_reported_and_flagged(string finish, string? blockReason)
    {
        var seen = Seen(new TokenCounts { PromptTokens = 30, ThoughtsTokens = 80, TotalTokens = 110, ReportsTotal = true }, images: 0) with { FinishReasons = [finish], BlockReason = blockReason };

        var assessment = UsageAssessor.Assess(seen, Situation());

        Assert.Equal(UsageCostBasis.Measured, assessment.CostBasis);
        Assert.Equal([UsageFlags.Refusal], assessment.Flags);
        Assert.Equal((30L, 80L), (assessment.Billable.PromptTokens, assessment.Billable.ThoughtsTokens));
    }

    [Fact]
    public void A_total_that_does_not_add_up_and_doubtful_usage_are_flagged_in_order()
    {
        var seen = Seen(new TokenCounts { PromptTokens = 30, CandidatesTokens = 10, TotalTokens = 99, ReportsTotal = true }, images: 0) with { UsageInvalid = true, UsageTorn = true };

        var assessment = UsageAssessor.Assess(seen, Situation());

        Assert.Equal([UsageFlags.TotalMismatch, UsageFlags.InvalidCount, UsageFlags.TornUsage], assessment.Flags);
    }

    private static ResponseObservation Seen(TokenCounts? usage, int images) => new() { Usage = usage, Images = images, Balanced = true };

    private static UsageSituation Situation(string? imageSize = "1K", ModelOptions? model = null) => new()
    {
        Model = model ?? Pro3,
        ImageSize = imageSize,
        ErrorAnswer = false,
        Billable = true,
        Unfinished = false,
        ExpectedImages = 1,
        EstimatedPromptTokens = 50,
    };
}

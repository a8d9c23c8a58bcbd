using Routescope.Gateway.Fallback;
using Routescope.Gateway.Gemini;

namespace Routescope.Gateway.Tests.Fallback;

/// <summary>What the attempt loop makes of each outcome: whether the model is blamed, why, and whether the chain may move on.</summary>
public sealed class AttemptJudgementTests
{
    [Theory]
    [InlineData(nameof(AttemptOutcome.HeldBack), 503, 503, null, "503", true)]
    [InlineData(nameof(AttemptOutcome.Answered), 429, null, "429", "429", false)]
    [InlineData(nameof(AttemptOutcome.TimedOut), null, null, null, "timeout", true)]
    [InlineData(nameof(AttemptOutcome.Unreachable), null, null, null, "unreachable", true)]
    [InlineData(nameof(AttemptOutcome.UpstreamBroke), 200, null, null, "unreachable", true)]
    public void Upstream_failures_count_against_the_model(string outcome, int? upstreamStatus, int? heldBack, string? passedThrough, string reason, bool mayMoveOn)
    {
        var judged = FallbackMiddleware.Judge(Attempt(Enum.Parse<AttemptOutcome>(outcome), upstreamStatus, heldBack, passedThrough));

        Assert.Equal((reason, mayMoveOn), judged);
    }

    [Theory]
    [InlineData(nameof(AttemptOutcome.Answered), 200)]
    [InlineData(nameof(AttemptOutcome.Answered), 400)]
    [InlineData(nameof(AttemptOutcome.ClientGone), null)]
    [InlineData(nameof(AttemptOutcome.ClientGone), 503)]
    [InlineData(nameof(AttemptOutcome.NotSent), null)]
    [InlineData(nameof(AttemptOutcome.Pending), null)]
    // The route's deadline is the whole request's budget (the client's upload and earlier attempts spent it too).
    [InlineData(nameof(AttemptOutcome.DeadlineExceeded), null)]
    [InlineData(nameof(AttemptOutcome.DeadlineExceeded), 200)]
    public void What_is_no_models_fault_blames_no_model(string outcome, int? upstreamStatus) =>
        Assert.Null(FallbackMiddleware.Judge(Attempt(Enum.Parse<AttemptOutcome>(outcome), upstreamStatus, null, null)));

    // passedThrough: what the response gate marks on a retryable answer it lets through.
    private static UpstreamAttempt Attempt(AttemptOutcome outcome, int? upstreamStatus, int? heldBack, string? passedThrough)
    {
        var attempt = new UpstreamAttempt("m", 0, []) { UpstreamStatus = upstreamStatus, HeldBackStatus = heldBack, Failure = passedThrough };
        if (outcome != AttemptOutcome.Pending)
        {
            attempt.Complete(outcome, null);
        }

        return attempt;
    }
}

using Routescope.Gateway.Gemini;
using Routescope.Gateway.Upstream;

using Yarp.ReverseProxy.Forwarder;

namespace Routescope.Gateway.Tests.Upstream;

/// <summary>The one judgement of how an attempt ended: one row per branch, so removing a branch fails a row.</summary>
public sealed class AttemptOutcomeTests
{
    [Theory]
    // The upstream broke off mid-body: YARP then aborts the client itself, so the abort must not hide the break.
    [InlineData(ForwarderError.ResponseBodyDestination, false, false, nameof(AttemptOutcome.UpstreamBroke))]
    [InlineData(ForwarderError.ResponseBodyDestination, true, false, nameof(AttemptOutcome.UpstreamBroke))]
    [InlineData(ForwarderError.UpgradeResponseDestination, true, false, nameof(AttemptOutcome.UpstreamBroke))]
    // The client left: whatever else the forwarder saw, nobody upstream is to blame and nobody is waiting.
    [InlineData(ForwarderError.None, true, false, nameof(AttemptOutcome.ClientGone))]
    [InlineData(ForwarderError.None, true, true, nameof(AttemptOutcome.ClientGone))]
    [InlineData(ForwarderError.RequestTimedOut, true, false, nameof(AttemptOutcome.ClientGone))]
    [InlineData(ForwarderError.Request, true, false, nameof(AttemptOutcome.ClientGone))]
    // The upstream answered.
    [InlineData(ForwarderError.None, false, false, nameof(AttemptOutcome.Answered))]
    [InlineData(ForwarderError.None, false, true, nameof(AttemptOutcome.HeldBack))]
    // No answer in time.
    [InlineData(ForwarderError.RequestTimedOut, false, false, nameof(AttemptOutcome.TimedOut))]
    [InlineData(ForwarderError.UpgradeActivityTimeout, false, false, nameof(AttemptOutcome.TimedOut))]
    // The client cancelled, or writing the answer to it failed (the abort token may not have fired yet).
    [InlineData(ForwarderError.RequestCanceled, false, false, nameof(AttemptOutcome.ClientGone))]
    [InlineData(ForwarderError.RequestBodyCanceled, false, false, nameof(AttemptOutcome.ClientGone))]
    [InlineData(ForwarderError.ResponseBodyCanceled, false, false, nameof(AttemptOutcome.ClientGone))]
    [InlineData(ForwarderError.ResponseBodyClient, false, false, nameof(AttemptOutcome.ClientGone))]
    [InlineData(ForwarderError.UpgradeRequestCanceled, false, false, nameof(AttemptOutcome.ClientGone))]
    [InlineData(ForwarderError.UpgradeResponseCanceled, false, false, nameof(AttemptOutcome.ClientGone))]
    [InlineData(ForwarderError.UpgradeResponseClient, false, false, nameof(AttemptOutcome.ClientGone))]
    // The gateway could not build the request, or could not read its body from a client that is still there.
    [InlineData(ForwarderError.RequestCreation, false, false, nameof(AttemptOutcome.NotSent))]
    [InlineData(ForwarderError.RequestBodyClient, false, false, nameof(AttemptOutcome.NotSent))]
    [InlineData(ForwarderError.UpgradeRequestClient, false, false, nameof(AttemptOutcome.NotSent))]
    // The upstream side failed before its answer started.
    [InlineData(ForwarderError.Request, false, false, nameof(AttemptOutcome.Unreachable))]
    [InlineData(ForwarderError.RequestBodyDestination, false, false, nameof(AttemptOutcome.Unreachable))]
    [InlineData(ForwarderError.ResponseHeaders, false, false, nameof(AttemptOutcome.Unreachable))]
    [InlineData(ForwarderError.NoAvailableDestinations, false, false, nameof(AttemptOutcome.Unreachable))]
    [InlineData(ForwarderError.UpgradeRequestDestination, false, false, nameof(AttemptOutcome.Unreachable))]
    public void Each_forwarder_report_is_judged_once_into_one_outcome(ForwarderError error, bool clientAborted, bool heldBack, string expected) =>
        Assert.Equal(Enum.Parse<AttemptOutcome>(expected), AttemptOutcomeMiddleware.Classify(error, clientAborted, heldBack));

    [Theory]
    // The route's Timeout is linked into the abort token: YARP reports a cancellation, before or after the start.
    [InlineData(ForwarderError.RequestCanceled)]
    [InlineData(ForwarderError.RequestBodyCanceled)]
    [InlineData(ForwarderError.ResponseBodyCanceled)]
    [InlineData(ForwarderError.ResponseBodyClient)]
    [InlineData(ForwarderError.RequestTimedOut)]
    public void A_cancellation_the_route_deadline_caused_is_the_deadline_not_the_client(ForwarderError error) =>
        Assert.Equal(AttemptOutcome.DeadlineExceeded, AttemptOutcomeMiddleware.Classify(error, clientAborted: true, heldBack: false, deadlineRanOut: true));

    [Theory]
    // An answer through before the deadline fired stays answered; an upstream that broke off stays broken.
    [InlineData(ForwarderError.None, nameof(AttemptOutcome.Answered))]
    [InlineData(ForwarderError.ResponseBodyDestination, nameof(AttemptOutcome.UpstreamBroke))]
    public void The_deadline_does_not_rewrite_what_ended_otherwise(ForwarderError error, string expected) =>
        Assert.Equal(Enum.Parse<AttemptOutcome>(expected), AttemptOutcomeMiddleware.Classify(error, clientAborted: false, heldBack: false, deadlineRanOut: true));

    [Fact]
    public void Every_forwarder_error_YARP_knows_has_a_row_above()
    {
        // A YARP upgrade that adds an error must be judged on purpose, not fall into "unreachable" unseen.
        var judged = typeof(AttemptOutcomeTests).GetMethod(nameof(Each_forwarder_report_is_judged_once_into_one_outcome))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>()
            .Select(row => (ForwarderError)row.GetData(null!).First()[0]!)
            .ToHashSet();

        Assert.Equal(Enum.GetValues<ForwarderError>().ToHashSet(), judged);
    }

    [Fact]
    public void An_attempt_is_judged_only_once()
    {
        var attempt = new UpstreamAttempt("m", 0, []);
        attempt.Complete(AttemptOutcome.Answered, null);

        Assert.Throws<InvalidOperationException>(() => attempt.Complete(AttemptOutcome.Unreachable, null));
        Assert.Equal(AttemptOutcome.Answered, attempt.Outcome);
    }
}

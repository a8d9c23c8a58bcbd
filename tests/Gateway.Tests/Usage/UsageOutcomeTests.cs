using Microsoft.AspNetCore.Http;

using Routescope.Gateway.Gemini;
using Routescope.Gateway.Keys;
using Routescope.Gateway.Usage;

namespace Routescope.Gateway.Tests.Usage;

/// <summary>The outcome finance reads on a record, from the last attempt's outcome and what the client got.</summary>
public sealed class UsageOutcomeTests
{
    private static readonly TokenCounts Usage = new() { PromptTokens = 10, CandidatesTokens = 1290, TotalTokens = 1300 };

    [Theory]
    [InlineData(nameof(AttemptOutcome.Answered), 200, true, true, UsageOutcome.Complete)]
    [InlineData(nameof(AttemptOutcome.Answered), 200, true, false, UsageOutcome.NoUsage)]
    [InlineData(nameof(AttemptOutcome.Answered), 200, false, true, UsageOutcome.Truncated)]
    [InlineData(nameof(AttemptOutcome.Answered), 503, true, false, UsageOutcome.UpstreamError)]
    [InlineData(nameof(AttemptOutcome.Answered), 400, true, true, UsageOutcome.UpstreamError)]
    [InlineData(nameof(AttemptOutcome.UpstreamBroke), 200, false, true, UsageOutcome.Truncated)]
    [InlineData(nameof(AttemptOutcome.ClientGone), 200, false, true, UsageOutcome.ClientAborted)]
    [InlineData(nameof(AttemptOutcome.ClientGone), 503, true, false, UsageOutcome.ClientAborted)]
    [InlineData(nameof(AttemptOutcome.HeldBack), 503, true, false, UsageOutcome.UpstreamError)]
    [InlineData(nameof(AttemptOutcome.TimedOut), 504, true, false, UsageOutcome.UpstreamError)]
    [InlineData(nameof(AttemptOutcome.Unreachable), 502, true, false, UsageOutcome.UpstreamError)]
    [InlineData(nameof(AttemptOutcome.NotSent), 502, true, false, UsageOutcome.UpstreamError)]
    // The route's deadline, before the answer started (the gateway's 504) or after (the cut): never the client's departure.
    [InlineData(nameof(AttemptOutcome.DeadlineExceeded), 504, true, false, UsageOutcome.DeadlineExceeded)]
    [InlineData(nameof(AttemptOutcome.DeadlineExceeded), 200, false, true, UsageOutcome.DeadlineExceeded)]
    [InlineData(nameof(AttemptOutcome.Pending), 200, true, true, UsageOutcome.Complete)]
    [InlineData(nameof(AttemptOutcome.Pending), 200, true, false, UsageOutcome.NoUsage)]
    [InlineData(nameof(AttemptOutcome.Pending), 200, false, true, UsageOutcome.Truncated)]
    [InlineData(nameof(AttemptOutcome.Pending), 500, true, false, UsageOutcome.UpstreamError)]
    public void The_last_attempt_decides_the_outcome(string outcome, int status, bool balanced, bool withUsage, string expected)
    {
        var (context, request) = Request(status);
        var attempt = request.BeginAttempt("m", 0, []);
        if (Enum.Parse<AttemptOutcome>(outcome) is var judged && judged != AttemptOutcome.Pending)
        {
            attempt.Complete(judged, null);
        }

        Assert.Equal(expected, UsageRecordFactory.Outcome(context, request, Seen(balanced, withUsage)));
    }

    [Fact]
    public void A_request_whose_every_model_was_passed_over_is_an_upstream_error()
    {
        var (context, request) = Request(503);
        request.PassOver("m", "circuit-open");

        Assert.Equal(UsageOutcome.UpstreamError, UsageRecordFactory.Outcome(context, request, Seen(balanced: true, withUsage: false)));
    }

    [Fact]
    public void Only_the_last_attempt_counts()
    {
        var (context, request) = Request(200);
        request.BeginAttempt("a", 0, []).Complete(AttemptOutcome.HeldBack, null);
        request.MoveOn();
        request.BeginAttempt("b", 1, []).Complete(AttemptOutcome.Answered, null);

        Assert.Equal(UsageOutcome.Complete, UsageRecordFactory.Outcome(context, request, Seen(balanced: true, withUsage: true)));
    }

    private static (HttpContext, GatewayRequest) Request(int status)
    {
        var context = new DefaultHttpContext();
        context.Response.StatusCode = status;
        var caller = new GatewayCaller { KeyId = "key_1", KeyName = "team", KeyPrefix = "rsg_abcdefgh", Group = "default" };
        return (context, new GatewayRequest(new GeminiRoute { Operation = GeminiOperation.GenerateContent, Model = "m" }, caller, "routescope"));
    }

    private static ResponseObservation Seen(bool balanced, bool withUsage) => new() { Balanced = balanced, Usage = withUsage ? Usage : null };
}

using Routescope.Gateway.Gemini;
using Routescope.Gateway.Upstream;

namespace Routescope.Gateway.Tests.Upstream;

/// <summary>The Gemini error a client gets when the last attempt left it no upstream answer.</summary>
public sealed class UpstreamErrorTests
{
    [Theory]
    [InlineData(nameof(AttemptOutcome.TimedOut), false, 504, 504, "did not answer in time")]
    [InlineData(nameof(AttemptOutcome.Unreachable), false, 502, 502, "could not be reached")]
    [InlineData(nameof(AttemptOutcome.UpstreamBroke), false, 502, 502, "could not be reached")]
    [InlineData(nameof(AttemptOutcome.NotSent), false, 502, 502, "could not send the request")]
    [InlineData(nameof(AttemptOutcome.NotSent), false, 400, 400, "body could not be read")]
    [InlineData(nameof(AttemptOutcome.NotSent), false, 408, 400, "body could not be read")]
    [InlineData(nameof(AttemptOutcome.NotSent), false, 413, 413, "larger than the gateway accepts")]
    [InlineData(nameof(AttemptOutcome.ClientGone), false, 502, 499, "cancelled")]
    // YARP leaves a 400 and the abort token fired: the route's deadline, not a departed client.
    [InlineData(nameof(AttemptOutcome.DeadlineExceeded), true, 400, 504, "deadline")]
    public void An_attempt_without_an_answer_becomes_a_gemini_error(string outcome, bool clientAborted, int statusSet, int status, string message)
    {
        var error = UpstreamErrorMiddleware.ErrorFor(Enum.Parse<AttemptOutcome>(outcome), clientAborted, statusSet);

        Assert.Equal(status, error?.Status);
        Assert.Contains(message, error?.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(AttemptOutcome.Answered), false)]
    [InlineData(nameof(AttemptOutcome.HeldBack), false)]
    [InlineData(nameof(AttemptOutcome.Pending), false)]
    [InlineData(nameof(AttemptOutcome.ClientGone), true)]
    public void Answers_and_departed_clients_get_nothing_added(string outcome, bool clientAborted) =>
        Assert.Null(UpstreamErrorMiddleware.ErrorFor(Enum.Parse<AttemptOutcome>(outcome), clientAborted, 502));
}

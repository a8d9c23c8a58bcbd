using System.Globalization;

using Routescope.Fake;
using Routescope.Gateway.Tests.Infrastructure;
using Routescope.Gateway.Usage;

namespace Routescope.Gateway.Tests.Faults;

/// <summary>
/// The upstream faults the suite survives, case by case. <see cref="Flash31"/> falls back to <see cref="Flash25"/>;
/// each fault is steered to the first model the case names, so a fallback is served by a healthy model and shows in
/// the fake's ledger. Faults before the first byte move on (and leave an abandoned record at an estimate when the
/// upstream had the whole request); faults after it cut the client and stay cut.
/// </summary>
public static class FaultCases
{
    public const string Flash31 = "gemini-3.1-flash-image-preview";
    public const string Flash25 = "gemini-2.5-flash-image";

    public const string ConnectionRefused = "connection refused";
    public const string ResetBeforeHeaders = "reset before headers";
    public const string FinBeforeHeaders = "FIN before headers";
    public const string StallBeforeHeaders = "stall before headers";
    public const string HeadersThenReset = "headers then reset";
    public const string HeadersThenStall = "headers then stall";
    public const string ResetMidBody = "reset mid-body";
    public const string FinMidBody = "FIN mid-body";
    public const string StallMidBody = "stall mid-body";
    public const string HtmlWith200 = "HTML with 200";
    public const string BinaryWith200 = "binary with 200";
    public const string TruncatedJsonWith200 = "truncated JSON with 200";
    public const string SseCutMidEvent = "SSE cut mid-event";
    public const string HugeResponseHeader = "128 KB response header";
    public const string SlowDrip = "slow drip";
    public const string ServerErrorStorm = "5xx storm";

    /// <summary>Well past the 2 s activity timeout of <see cref="FaultFixture"/>.</summary>
    private const string StallMs = "6000";

    public static IReadOnlyList<FaultCase> All { get; } = [.. Build()];

    private static IEnumerable<FaultCase> Build()
    {
        // Nothing listens: every model of the chain is unreachable, nothing was sent, nothing is billed.
        foreach (var stream in new[] { false, true })
        {
            yield return new FaultCase
            {
                Kind = ConnectionRefused,
                Name = Op(stream) + " with a chain",
                Model = Flash31,
                FaultedModel = Flash31,
                Stream = stream,
                Refused = true,
                Client = ClientEnd.Error,
                Status = 502,
                Fallback = $"{Flash31} unreachable -> {Flash25} unreachable",
                Served = Flash25,
                Outcome = UsageOutcome.UpstreamError,
                CostBasis = UsageCostBasis.Measured,
                Costs = false,
            };
        }

        yield return NoChain(ConnectionRefused, 502, UsageCostBasis.Measured) with { Refused = true };

        foreach (var (kind, fault) in new[] { (ResetBeforeHeaders, RawFault.ResetBeforeHeaders), (FinBeforeHeaders, RawFault.FinBeforeHeaders) })
        {
            foreach (var stream in new[] { false, true })
            {
                yield return FellBack(kind, Op(stream), stream, "unreachable") with { Raw = fault, RawModels = [Flash31], FakeModels = [Flash25] };
            }

            // No model left to try: a Gemini 502, and the upstream had the request, so its work is estimated.
            yield return NoChain(kind, 502, UsageCostBasis.Estimated) with { Raw = fault, RawModels = [Flash25] };
        }

        foreach (var stream in new[] { false, true })
        {
            yield return FellBack(StallBeforeHeaders, Op(stream), stream, "timeout") with
            {
                Steering = Steer(FakeHeaders.DelayMs, StallMs),
                FakeModels = [Flash31, Flash25],
            };
        }

        yield return NoChain(StallBeforeHeaders, 504, UsageCostBasis.Estimated) with { Steering = Steer(FakeHeaders.DelayMs, StallMs), FakeModels = [Flash25] };

        // Headers, then nothing: no byte reached the client, so the chain moves on as before the headers.
        foreach (var stream in new[] { false, true })
        {
            yield return FellBack(HeadersThenReset, Op(stream), stream, "unreachable") with { Raw = RawFault.HeadersThenReset, RawModels = [Flash31], FakeModels = [Flash25] };
            yield return FellBack(HeadersThenStall, Op(stream), stream, "unreachable") with
            {
                Steering = Steer(FakeHeaders.StallAfterBytes, "0"),
                FakeModels = [Flash31, Flash25],
            };
        }

        // No model left: the client gets the gateway's 502; the record's outcome is the upstream's answer, which broke off.
        yield return NoChain(HeadersThenReset, 502, UsageCostBasis.Estimated) with
        {
            Raw = RawFault.HeadersThenReset,
            RawModels = [Flash25],
            Outcome = UsageOutcome.Truncated,
        };
        yield return NoChain(HeadersThenStall, 502, UsageCostBasis.Estimated) with
        {
            Steering = Steer(FakeHeaders.StallAfterBytes, "0"),
            FakeModels = [Flash25],
            Outcome = UsageOutcome.Truncated,
        };

        foreach (var stream in new[] { false, true })
        {
            yield return Cut(ResetMidBody, Op(stream), stream) with { Raw = RawFault.ResetMidBody, RawModels = [Flash31] };
            yield return Cut(FinMidBody, Op(stream) + ", after 3000 bytes", stream) with { Steering = Steer(FakeHeaders.BreakAfterBytes, "3000"), FakeModels = [Flash31] };
            yield return Cut(StallMidBody, Op(stream) + ", after 3000 bytes", stream) with { Steering = Steer(FakeHeaders.StallAfterBytes, "3000"), FakeModels = [Flash31] };
        }

        yield return Cut(FinMidBody, "streamGenerateContent, after the first event", stream: true) with { Steering = Steer(FakeHeaders.BreakAfterEvents, "1"), FakeModels = [Flash31] };
        yield return Cut(StallMidBody, "streamGenerateContent, after the first event", stream: true) with
        {
            // The first event of a stream is a short text part; 150 bytes are inside the second.
            Steering = Steer(FakeHeaders.StallAfterBytes, "150"),
            FakeModels = [Flash31],
        };

        yield return PassedThrough(HtmlWith200, FakeHeaders.Bodies.Html, "text/html", UsageOutcome.NoUsage);
        // Binary never closes as JSON: to the scanner the answer did not reach its end, so the images asked for are
        // estimated too; HTML holds no JSON at all and is an answer without usage.
        yield return PassedThrough(BinaryWith200, FakeHeaders.Bodies.Binary, "application/octet-stream", UsageOutcome.Truncated);
        yield return PassedThrough(BinaryWith200, FakeHeaders.Bodies.BinaryAsJson, "application/json", UsageOutcome.Truncated);
        // Sent whole, but the JSON ends inside the image: the answer broke off before its end.
        yield return PassedThrough(TruncatedJsonWith200, FakeHeaders.Bodies.TruncatedJson, "application/json", UsageOutcome.Truncated);

        foreach (var cutIn in new[] { 1, 2, 3 })
        {
            yield return Cut(SseCutMidEvent, "inside event " + cutIn.ToString(CultureInfo.InvariantCulture), stream: true) with
            {
                Steering = Steer(FakeHeaders.BreakInEvent, cutIn.ToString(CultureInfo.InvariantCulture)),
                FakeModels = [Flash31],
            };
        }

        foreach (var (name, fault) in new[] { ("one 128 KB header", RawFault.HugeHeader), ("2,048 headers, 128 KB in all", RawFault.ManyHeaders) })
        {
            yield return FellBack(HugeResponseHeader, name, stream: false, "unreachable") with { Raw = fault, RawModels = [Flash31], FakeModels = [Flash25] };
        }

        // Each flush is followed by a pause well inside the activity timeout, the whole answer takes longer than it:
        // the timeout bounds silence, not the answer.
        yield return Answered(SlowDrip, "generateContent, 6 image chunks 500 ms apart", stream: false,
            Steer(FakeHeaders.PaceMs, "500", FakeHeaders.ImageBytes, (6 * 49152).ToString(CultureInfo.InvariantCulture)));
        yield return Answered(SlowDrip, "streamGenerateContent, events 500 ms apart", stream: true,
            Steer(FakeHeaders.PaceMs, "500", FakeHeaders.ThoughtImages, "3"));
    }

    private static string Op(bool stream) => stream ? "streamGenerateContent" : "generateContent";

    private static Dictionary<string, string> Steer(params string[] pairs)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < pairs.Length; i += 2)
        {
            headers[pairs[i]] = pairs[i + 1];
        }

        return headers;
    }

    /// <summary>Failed before the first byte: the next model answers, the failed attempt is recorded as abandoned.</summary>
    private static FaultCase FellBack(string kind, string name, bool stream, string reason) => new()
    {
        Kind = kind,
        Name = name,
        Model = Flash31,
        FaultedModel = Flash31,
        Stream = stream,
        Client = ClientEnd.Answer,
        Fallback = $"{Flash31} {reason} -> {Flash25}",
        Served = Flash25,
        Outcome = UsageOutcome.Complete,
        CostBasis = UsageCostBasis.Measured,
        Costs = true,
        Abandoned = 1,
    };

    /// <summary>
    /// A model without a chain failed before the first byte: the gateway's own error, naming the model tried. The upstream
    /// that had the whole request may bill it (an estimate); one never reached bills nothing.
    /// </summary>
    private static FaultCase NoChain(string kind, int status, string basis) => new()
    {
        Kind = kind,
        Name = "generateContent without a chain",
        Model = Flash25,
        FaultedModel = Flash25,
        Client = ClientEnd.Error,
        Status = status,
        Served = Flash25,
        Outcome = UsageOutcome.UpstreamError,
        CostBasis = basis,
        Costs = basis == UsageCostBasis.Estimated,
    };

    /// <summary>Failed once the answer had begun: no second attempt, the client is cut, the work is estimated.</summary>
    private static FaultCase Cut(string kind, string name, bool stream) => new()
    {
        Kind = kind,
        Name = name,
        Model = Flash31,
        FaultedModel = Flash31,
        Stream = stream,
        Client = ClientEnd.Cut,
        Served = Flash31,
        Outcome = UsageOutcome.Truncated,
        CostBasis = UsageCostBasis.Estimated,
        Costs = true,
    };

    /// <summary>A 200 that is no answer: it reaches the client as it came; the upstream billed without saying what.</summary>
    private static FaultCase PassedThrough(string kind, string body, string contentType, string outcome) => new()
    {
        Kind = kind,
        Name = body,
        Model = Flash31,
        FaultedModel = Flash31,
        Steering = Steer(FakeHeaders.Body, body),
        FakeModels = [Flash31],
        Client = ClientEnd.PassedThrough,
        ContentType = contentType,
        Served = Flash31,
        Outcome = outcome,
        CostBasis = UsageCostBasis.Estimated,
        Costs = true,
    };

    private static FaultCase Answered(string kind, string name, bool stream, Dictionary<string, string> steering) => new()
    {
        Kind = kind,
        Name = name,
        Model = Flash31,
        FaultedModel = Flash31,
        Stream = stream,
        Steering = steering,
        FakeModels = [Flash31],
        Client = ClientEnd.Answer,
        Served = Flash31,
        Outcome = UsageOutcome.Complete,
        CostBasis = UsageCostBasis.Measured,
        Costs = true,
    };
}

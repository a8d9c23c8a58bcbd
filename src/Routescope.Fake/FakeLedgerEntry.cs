namespace Routescope.Fake;

/// <summary>
/// One request in the fake's ledger: what it received, what it generated and bills, and how much of the answer got
/// out. The bill is what the upstream's invoice would say, whether or not the caller stayed to read the answer; only
/// non-2xx answers (unauthorized ones included) and scripted answers bill nothing.
/// </summary>
public sealed record FakeLedgerEntry
{
    /// <summary>Order of arrival, from 1.</summary>
    public required long Sequence { get; init; }

    public required ReceivedRequest Request { get; init; }

    /// <summary>The operation after the colon (<c>generateContent</c>, <c>streamGenerateContent</c>, <c>countTokens</c>), or empty.</summary>
    public required string Operation { get; init; }

    /// <summary>The status the fake answered (or was about to answer) with.</summary>
    public required int StatusCode { get; init; }

    public required FakeBill Billed { get; init; }

    /// <summary>finishReason of the generated answer (<c>STOP</c>, a refusal), null when nothing was generated.</summary>
    public string? FinishReason { get; init; }

    /// <summary>The Content-Encoding of the answer, null for identity.</summary>
    public string? ContentEncoding { get; init; }

    /// <summary>The answer came from <see cref="FakeUpstream.Script"/>: the test wrote its bytes, the fake generated nothing.</summary>
    public bool Scripted { get; init; }

    public required FakeDelivery Delivery { get; init; }

    /// <summary>A flag, not a filter: the bill stands either way.</summary>
    public bool DeliveredInFull => Delivery == FakeDelivery.Full;

    public string? Model => Request.Model;

    /// <summary>The request's <c>x-request-id</c>, which the gateway forwards.</summary>
    public string? RequestId => Request.Header("x-request-id");

    /// <summary>The request's <see cref="FakeHeaders.Tag"/>, for tests that attribute requests themselves.</summary>
    public string? Tag => Request.Header(FakeHeaders.Tag);
}

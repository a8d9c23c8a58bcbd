using System.Globalization;

using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Durability;

/// <summary>
/// What clients received, set against what the usage store holds in the end. The promise under test: an answer a
/// client has in full has its record, exactly once, whatever happened to the process.
/// </summary>
internal sealed record DurabilityAudit
{
    /// <summary>Gateway processes the test ended (killed or terminated) before the final one.</summary>
    public required int Runs { get; init; }

    public required int Sent { get; init; }

    /// <summary>2xx answers read to their clean end.</summary>
    public required int CompleteAnswers { get; init; }

    /// <summary>Complete answers of each ending: whole with a Content-Length, chunked JSON, SSE.</summary>
    public required (int Sized, int Chunked, int Sse) CompleteByEnding { get; init; }

    /// <summary>Other answers read to their clean end (the gateway's own refusals, such as a 503).</summary>
    public required int CompleteRefusals { get; init; }

    /// <summary>Headers arrived, the body broke off.</summary>
    public required int Incomplete { get; init; }

    /// <summary>No response headers at all (connection refused or reset).</summary>
    public required int Unanswered { get; init; }

    public required int Records { get; init; }

    /// <summary>Complete answers without a record.</summary>
    public required IReadOnlyList<string> Lost { get; init; }

    /// <summary>Lost answers of each ending.</summary>
    public required (int Sized, int Chunked, int Sse) LostByEnding { get; init; }

    /// <summary>Request ids with more than one record of their own (abandoned attempts aside).</summary>
    public required IReadOnlyList<string> Doubled { get; init; }

    /// <summary>Record ids the store holds more than once.</summary>
    public required IReadOnlyList<string> DuplicateRecordIds { get; init; }

    /// <summary>Requests the upstream received that have no record (a kill may take those of unfinished answers).</summary>
    public required IReadOnlyList<string> ForwardedWithoutRecord { get; init; }

    public required int IncompleteWithoutRecord { get; init; }

    /// <summary>Records of request ids no client of the test sent: the attribution itself would be wrong.</summary>
    public required IReadOnlyList<string> Unknown { get; init; }

    /// <summary>Answers whose <c>x-request-id</c> is not the one sent: records could not be matched to them.</summary>
    public required IReadOnlyList<string> MisEchoed { get; init; }

    public string Summary => string.Create(CultureInfo.InvariantCulture,
        $"runs {Runs}, requests {Sent}: complete answers {CompleteAnswers} (sized {CompleteByEnding.Sized}, chunked {CompleteByEnding.Chunked}, sse {CompleteByEnding.Sse}), complete refusals {CompleteRefusals}, incomplete {Incomplete}, unanswered {Unanswered}; "
        + $"records {Records}; lost {Lost.Count} (sized {LostByEnding.Sized}, chunked {LostByEnding.Chunked}, sse {LostByEnding.Sse}), doubled {Doubled.Count}, duplicate record ids {DuplicateRecordIds.Count}; "
        + $"incomplete without record {IncompleteWithoutRecord}, forwarded without record {ForwardedWithoutRecord.Count}, unknown records {Unknown.Count}");

    public static DurabilityAudit Of(int runs, IReadOnlyList<DeliveredResponse> responses, UsageLedger ledger, IEnumerable<string> forwardedRequestIds)
    {
        var own = ledger.OwnRecords;
        var sent = responses.Select(r => r.RequestId).ToHashSet(StringComparer.Ordinal);
        var lost = responses.Where(r => r.CompleteAnswer && !own.Contains(r.RequestId)).ToArray();
        return new DurabilityAudit
        {
            Runs = runs,
            Sent = responses.Count,
            CompleteAnswers = responses.Count(r => r.CompleteAnswer),
            CompleteByEnding = (
                responses.Count(r => r.CompleteAnswer && r.Kind == RequestKind.SizedJson && r.Sized),
                responses.Count(r => r.CompleteAnswer && r.Kind == RequestKind.ChunkedJson && !r.Sized),
                responses.Count(r => r.CompleteAnswer && r.Kind == RequestKind.Sse && !r.Sized)),
            CompleteRefusals = responses.Count(r => r.Complete && !r.CompleteAnswer),
            Incomplete = responses.Count(r => !r.Complete && r.Status != 0),
            Unanswered = responses.Count(r => r.Status == 0),
            Records = ledger.Records.Count,
            Lost = [.. lost.Select(r => r.RequestId)],
            LostByEnding = (lost.Count(r => r.Kind == RequestKind.SizedJson), lost.Count(r => r.Kind == RequestKind.ChunkedJson), lost.Count(r => r.Kind == RequestKind.Sse)),
            Doubled = [.. own.Where(g => g.Count() > 1).Select(g => g.Key)],
            DuplicateRecordIds = [.. ledger.Records.GroupBy(r => r.RecordId, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key)],
            ForwardedWithoutRecord = [.. forwardedRequestIds.Where(sent.Contains).Distinct(StringComparer.Ordinal).Where(id => !own.Contains(id))],
            IncompleteWithoutRecord = responses.Count(r => !r.Complete && !own.Contains(r.RequestId)),
            Unknown = [.. ledger.Records.Select(r => r.RequestId).Where(id => !sent.Contains(id)).Distinct(StringComparer.Ordinal)],
            MisEchoed = [.. responses.Where(r => r.EchoedRequestId is not null && r.EchoedRequestId != r.RequestId).Select(r => r.RequestId)],
        };
    }

    /// <summary>Every complete answer has exactly one record; nothing is recorded twice or for a stranger.</summary>
    public void AssertExactlyOnce()
    {
        // Without answers of every ending the test would prove less than it says: the load must really have run, and
        // each kind must have ended the way it is meant to (a sized answer with its Content-Length, the others chunked).
        Assert.True(CompleteByEnding is { Sized: > 0, Chunked: > 0, Sse: > 0 }, "Not every ending of an answer reached a client in full: " + Summary);
        Assert.True(MisEchoed.Count == 0, $"Answers came back with another x-request-id: {Sample(MisEchoed)}");
        Assert.True(Unknown.Count == 0, $"Records of requests nobody sent: {Sample(Unknown)}");
        Assert.True(Lost.Count == 0, $"{Lost.Count} answers received in full have no record ({Sample(Lost)}). {Summary}");
        Assert.True(Doubled.Count == 0, $"{Doubled.Count} requests are recorded more than once ({Sample(Doubled)}). {Summary}");
        Assert.True(DuplicateRecordIds.Count == 0, $"{DuplicateRecordIds.Count} record ids appear more than once ({Sample(DuplicateRecordIds)}). {Summary}");
    }

    private static string Sample(IReadOnlyList<string> ids) => string.Join(", ", ids.Take(5)) + (ids.Count > 5 ? ", …" : string.Empty);
}

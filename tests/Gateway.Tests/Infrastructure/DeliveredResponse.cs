namespace Routescope.Gateway.Tests.Infrastructure;

/// <summary>
/// One request of a load run, as its client saw it. <see cref="Complete"/>: the body was read to its clean end (the
/// last byte a Content-Length announced, or the terminating chunk, after the final SSE event in a stream) without an
/// error.
/// </summary>
/// <param name="RequestId">The <c>x-request-id</c> the client sent (unique per request).</param>
/// <param name="Kind">Which way the answer ends.</param>
/// <param name="Status">The HTTP status; 0 when no response headers arrived.</param>
/// <param name="Complete">The body was read to its clean end.</param>
/// <param name="Sized">The response declared a Content-Length (rather than being chunked).</param>
/// <param name="EchoedRequestId">The <c>x-request-id</c> the gateway answered with.</param>
/// <param name="Failure">Why the exchange broke off (an exception type), or null.</param>
/// <param name="ErrorBody">The body of a non-2xx answer (its start), for error-shape checks.</param>
public sealed record DeliveredResponse(
    string RequestId, RequestKind Kind, int Status, bool Complete, bool Sized, string? EchoedRequestId, string? Failure, string? ErrorBody)
{
    /// <summary>A billable answer the client has in full: the gateway owes a record for it.</summary>
    public bool CompleteAnswer => Complete && Status is >= 200 and < 300;
}

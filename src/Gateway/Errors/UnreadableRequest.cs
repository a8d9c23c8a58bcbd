namespace Routescope.Gateway.Errors;

/// <summary>Exceptions that mean the client's request could not be read (its framing or body is malformed), with their 4xx.</summary>
internal static class UnreadableRequest
{
    /// <summary>The client error status for <paramref name="exception"/>; null when it is not the client's doing.</summary>
    public static int? Status(Exception exception) => exception switch
    {
        // Kestrel's (Microsoft.AspNetCore.Server.Kestrel.Core.BadHttpRequestException) derives from this one and
        // carries 400, 408 (body too slow) or 413 (body too large).
        BadHttpRequestException badRequest => badRequest.StatusCode,
        // Kestrel's chunked parser reports a chunk size beyond int.MaxValue ("ffffffffffffffffffff") as an IOException
        // ("Bad chunk size data.") around an OverflowException instead of a bad request (Http1ChunkedEncodingMessageBody).
        IOException { InnerException: OverflowException } => StatusCodes.Status400BadRequest,
        _ => null,
    };

    public static string Message(int status) => "The request could not be read: " + status switch
    {
        413 => "the body is larger than the gateway accepts.",
        408 => "the body did not arrive in time.",
        _ => "it is malformed.",
    };
}

namespace Routescope.Gateway.Hygiene;

/// <summary>
/// HTTP/1.x framing Kestrel tolerates but a front proxy may read differently, so that bytes one side takes for a body
/// the other takes for a second request (RFC 9112 §6.1, §6.3, §11.2). Kestrel has no setting that refuses these; what
/// it hides from the request (a signed Content-Length, a Content-Length it dropped for Transfer-Encoding) is seen on the
/// connection (<see cref="ConnectionFramingScanner"/>).
/// </summary>
internal static class RequestFraming
{
    /// <summary>Why the request's framing is refused; null when it is unambiguous.</summary>
    public static string? Problem(HttpRequest request, string? seenOnConnection)
    {
        var headers = request.Headers;
        if (seenOnConnection is not null)
        {
            return seenOnConnection;
        }

        if (headers.TransferEncoding.Count == 0)
        {
            return null;
        }

        if (HttpProtocol.IsHttp10(request.Protocol))
        {
            return "Transfer-Encoding is not defined for HTTP/1.0 (RFC 9112 §6.1); send Content-Length.";
        }

        if (headers.ContentLength is not null)
        {
            return ConnectionFramingScanner.LengthWithCoding;
        }

        // Anything but chunked alone ("gzip, chunked", "chunked, chunked", "identity") is read differently by different
        // parsers; clients only ever send plain chunked.
        return headers.TransferEncoding is [{ } only] && string.Equals(only.Trim(), "chunked", StringComparison.OrdinalIgnoreCase)
            ? null
            : "Transfer-Encoding must be chunked alone (RFC 9112 §6.1).";
    }
}

using System.Text;

namespace Routescope.Fake;

/// <summary>
/// The 200 answers that are not answers: what a misconfigured front proxy, a CDN error page or a relay that lost the
/// end of the body sends. Each is sent whole with its Content-Length, so the connection ends cleanly.
/// </summary>
internal static class FakeBadBodies
{
    private const string Html = "<!DOCTYPE html><html><head><title>Service Unavailable</title></head>"
        + "<body><h1>The service is temporarily unavailable</h1><p>Please try again later.</p></body></html>";

    public static async Task WriteAsync(HttpResponse response, FakeBodyKind kind, CancellationToken cancellationToken)
    {
        var (contentType, body) = kind switch
        {
            FakeBodyKind.Html => ("text/html; charset=UTF-8", Encoding.UTF8.GetBytes(Html)),
            FakeBodyKind.Binary => ("application/octet-stream", Binary()),
            FakeBodyKind.BinaryAsJson => ("application/json; charset=UTF-8", Binary()),
            _ => ("application/json; charset=UTF-8", TruncatedJson()),
        };
        response.StatusCode = 200;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, cancellationToken);
    }

    /// <summary>Every byte value, braces and quotes included, in a fixed pseudo-random order.</summary>
    private static byte[] Binary()
    {
        var bytes = new byte[8192];
        var state = 0x9E3779B97F4A7C15UL;
        for (var i = 0; i < bytes.Length; i++)
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            bytes[i] = i < 256 ? (byte)i : (byte)state;
        }

        return bytes;
    }

    /// <summary>An answer's start, ending inside the image's base64 data: no finish reason, no usage.</summary>
    private static byte[] TruncatedJson() => Encoding.ASCII.GetBytes(
        "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"iVBORw0KGgo"
        + new string('A', 6000));
}

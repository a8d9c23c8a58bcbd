using System.Text;

namespace Routescope.Fake;

/// <summary>Writes a small JSON answer whole, with its Content-Length, encoded when the answer is to be.</summary>
internal static class FakeJson
{
    public static async Task WriteAsync(HttpResponse response, int status, string json, ContentCoding coding, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        if (ContentCodingStreams.Label(coding) is { } label)
        {
            using var encoded = new MemoryStream();
            await using (var encoder = ContentCodingStreams.Encoder(coding, encoded))
            {
                await encoder.WriteAsync(bytes, cancellationToken);
            }

            bytes = encoded.ToArray();
            response.Headers.ContentEncoding = label;
        }

        response.StatusCode = status;
        response.ContentType = "application/json; charset=UTF-8";
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, cancellationToken);
    }
}

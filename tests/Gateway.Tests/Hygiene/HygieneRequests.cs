using System.Globalization;
using System.Text;

using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Hygiene;

/// <summary>Raw HTTP/1.x requests to the image model, spelled byte for byte, with the header or framing under test.</summary>
internal static class HygieneRequests
{
    public const string Target = "/v1beta/models/" + GeminiRequests.ImageModel + ":generateContent";

    /// <summary>Ends a pipelined exchange: if the server kept the connection open, this second request is answered too.</summary>
    public static string Probe(Uri server) => $"GET /healthz HTTP/1.1\r\nHost: {server.Authority}\r\nConnection: close\r\n\r\n";

    /// <summary>
    /// A generateContent request with a body framed by Content-Length, the gateway key and request id, plus
    /// <paramref name="extra"/> headers (a header named there replaces the default of the same name).
    /// </summary>
    public static string Generate(Uri server, string? key, string requestId, IReadOnlyList<(string Name, string Value)> extra, string target = Target, bool close = true)
    {
        var headers = new List<(string Name, string Value)>
        {
            ("Host", server.Authority),
            ("Content-Type", "application/json"),
            ("Content-Length", Encoding.UTF8.GetByteCount(GeminiRequests.TextOnlyBody).ToString(CultureInfo.InvariantCulture)),
            ("x-request-id", requestId),
        };
        if (key is not null)
        {
            headers.Add(("x-goog-api-key", key));
        }

        if (close)
        {
            headers.Add(("Connection", "close"));
        }

        foreach (var header in extra)
        {
            headers.RemoveAll(existing => string.Equals(existing.Name, header.Name, StringComparison.OrdinalIgnoreCase));
            headers.Add(header);
        }

        return Head("POST " + target + " HTTP/1.1", headers) + GeminiRequests.TextOnlyBody;
    }

    public static string Head(string requestLine, IEnumerable<(string Name, string Value)> headers)
    {
        var head = new StringBuilder(requestLine).Append("\r\n");
        foreach (var (name, value) in headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        return head.Append("\r\n").ToString();
    }

    /// <summary>Error-level (or worse) log lines that mention the request.</summary>
    public static IReadOnlyList<string> ErrorLines(GatewayFixture gateway, string requestId) =>
        gateway.Logs.Lines.Where(line => line.Contains(requestId, StringComparison.Ordinal)
            && (line.Contains("\"@l\":\"Error\"", StringComparison.Ordinal) || line.Contains("\"@l\":\"Fatal\"", StringComparison.Ordinal))).ToArray();
}

using System.Text;
using System.Text.Json;

namespace Routescope.Gateway.Tests.Hostile;

/// <summary>Judges one answer against its case: status, error shape, what reached the upstream, secrets, the close.</summary>
public static class HostileCheck
{
    public static List<string> Answer(HostileCase hostile, RawResponse response, byte[] upstreamBytes, bool inUpstreamLedger, IReadOnlyList<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(hostile);
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(upstreamBytes);
        ArgumentNullException.ThrowIfNull(secrets);
        var problems = new List<string>();
        if (!hostile.Status.Contains(response.Status))
        {
            problems.Add($"status {response.Status}" + (response.Body.Length > 0 ? $" ({Shorten(response.Body)})" : ""));
        }

        if (response.Status >= 400 && hostile.Error != "any")
        {
            var empty = response.Body.Length == 0;
            if (!(empty && hostile.Error == "optional") && GeminiError(response) is { } shape)
            {
                problems.Add(empty ? "no Gemini-style error body" : shape);
            }
        }

        if (hostile.MessageContains is { } named && !response.Body.Contains(named, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"the error does not name '{named}'");
        }

        var sent = Encoding.Latin1.GetString(upstreamBytes);
        if (!hostile.UpstreamMaySee && (upstreamBytes.Length > 0 || inUpstreamLedger))
        {
            problems.Add($"{upstreamBytes.Length} bytes reached the upstream's socket" + (inUpstreamLedger ? " (and its ledger)" : "")
                + (upstreamBytes.Length > 0 ? $": {Shorten(sent.Split("\r\n")[0])}" : ""));
        }

        if (hostile.ForwardedTarget is { } target && !sent.Contains(" " + target + " HTTP/1.1\r\n", StringComparison.Ordinal))
        {
            problems.Add($"the upstream did not get the target {target} (got: {Shorten(sent.Split("\r\n")[0])})");
        }

        foreach (var forbidden in hostile.UpstreamMustNotContain)
        {
            if (sent.Contains(forbidden, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"'{forbidden}' reached the upstream");
            }
        }

        if (hostile.Closes && (!response.Closed || response.BytesAfterAnswer > 0))
        {
            problems.Add(response.BytesAfterAnswer > 0
                ? $"a second answer ({response.BytesAfterAnswer} bytes) followed on the same connection"
                : "the connection stayed open after the answer");
        }

        if (hostile.MaxResponseBytes is { } max && response.Wire.Length > max)
        {
            problems.Add($"the answer has {response.Wire.Length} bytes (at most {max})");
        }

        foreach (var secret in secrets)
        {
            if (response.Wire.Contains(secret, StringComparison.Ordinal))
            {
                problems.Add("a secret is in the answer");
            }
        }

        return problems;
    }

    /// <summary>
    /// Log lines a client's request must never cause: errors and exceptions (stack traces). The test host logs every
    /// level, the shipped appsettings.json only Warning and above from Microsoft.*: a framework line below that (Kestrel
    /// giving up draining a dripped body, with its exception) never reaches an operator and is not counted.
    /// </summary>
    public static IEnumerable<string> AlarmingLogs(IEnumerable<string> lines) =>
        lines.Where(line => !IsKestrelDrainAfterDeadline(line)).Where(line => line.Contains("\"@l\":\"Error\"", StringComparison.Ordinal)
            || line.Contains("\"@l\":\"Fatal\"", StringComparison.Ordinal)
            || (line.Contains("\"@x\":", StringComparison.Ordinal) && !IsQuietFrameworkLine(line)))
            .Select(line => "logged: " + Shorten(line));

    private static bool IsQuietFrameworkLine(string line) =>
        line.Contains("\"SourceContext\":\"Microsoft.", StringComparison.Ordinal)
        && !line.Contains("\"@l\":\"Warning\"", StringComparison.Ordinal) && !line.Contains("\"@l\":\"Error\"", StringComparison.Ordinal);

    /// <summary>
    /// Kestrel's own error when it cannot drain a body whose read the route's deadline cancelled (event 67,
    /// RequestBodyDrainBodyReaderInvalidState): the client gets its 504 and the connection closes; the line is
    /// Kestrel's, left as a known issue (see the issue 18 note), not a gateway fault.
    /// </summary>
    public static bool IsKestrelDrainAfterDeadline(string line) =>
        line.Contains("\"Name\":\"RequestBodyDrainBodyReaderInvalidState\"", StringComparison.Ordinal);

    /// <summary>Null when the body is a Gemini-style error matching the status; else what is wrong with it.</summary>
    private static string? GeminiError(RawResponse response)
    {
        try
        {
            using var json = JsonDocument.Parse(response.Body);
            var error = json.RootElement.GetProperty("error");
            if (error.GetProperty("code").GetInt32() != response.Status)
            {
                return "the error's code is not the status";
            }

            return string.IsNullOrWhiteSpace(error.GetProperty("status").GetString()) || string.IsNullOrWhiteSpace(error.GetProperty("message").GetString())
                ? "the error has no status or message"
                : null;
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return "not a Gemini-style error: " + Shorten(response.Body);
        }
    }

    private static string Shorten(string text) => text.Length <= 160 ? text : text[..160] + "…";
}

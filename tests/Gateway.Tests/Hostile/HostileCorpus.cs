using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Routescope.Gateway.Tests.Hostile;

/// <summary>
/// Loads the corpus (every <c>Hostile/Corpus/*.json</c> copied to the test output) and turns a case into the exact
/// bytes to send, expanding the placeholders the files use instead of values only known at run time.
/// </summary>
public static partial class HostileCorpus
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        Converters = { new StatusListConverter() },
    };

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Hostile", "Corpus");

    public static IReadOnlyList<HostileCase> Load()
    {
        var cases = new List<HostileCase>();
        foreach (var file in System.IO.Directory.GetFiles(Directory, "*.json").Order(StringComparer.Ordinal))
        {
            var corpus = JsonSerializer.Deserialize<HostileCorpusFile>(File.ReadAllText(file), Json)
                ?? throw new InvalidDataException(file + " is empty.");
            var name = Path.GetFileNameWithoutExtension(file);
            cases.AddRange(corpus.Cases.Select(c => c with { Class = name }));
        }

        return cases;
    }

    /// <summary>
    /// The request bytes. Placeholders: <c>{{host}}</c> the gateway's authority, <c>{{key}}</c> a valid gateway key (<c>{{key-1}}</c> without its last character),
    /// <c>{{id}}</c> the case's request id, <c>{{adminToken}}</c>, <c>{{upstreamKey}}</c>,
    /// <c>{{repeat:N:text}}</c> the text N times (large bodies; the text must not contain <c>}}</c>, which ends the placeholder), and <c>{{length}}</c> the byte length of everything
    /// after the first blank line once the rest is expanded.
    /// </summary>
    public static byte[] Expand(HostileCase hostile, HostileValues values)
    {
        ArgumentNullException.ThrowIfNull(hostile);
        ArgumentNullException.ThrowIfNull(values);
        var text = hostile.Raw ?? Encoding.Latin1.GetString(Convert.FromBase64String(hostile.Base64
            ?? throw new InvalidDataException(hostile + " has neither raw nor base64.")));
        text = text
            .Replace("{{host}}", values.Host, StringComparison.Ordinal)
            .Replace("{{key-1}}", values.Key[..^1], StringComparison.Ordinal)
            .Replace("{{key}}", values.Key, StringComparison.Ordinal)
            .Replace("{{id}}", values.RequestId, StringComparison.Ordinal)
            .Replace("{{adminToken}}", values.AdminToken, StringComparison.Ordinal)
            .Replace("{{upstreamKey}}", values.UpstreamKey, StringComparison.Ordinal);
        text = Repeat().Replace(text, match => new StringBuilder().Insert(0,
            match.Groups[2].Value, int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)).ToString());
        var blank = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (text.Contains("{{length}}", StringComparison.Ordinal))
        {
            var body = blank < 0 ? "" : text[(blank + 4)..];
            text = text.Replace("{{length}}", body.Length.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        if (text.Any(c => c > 0xFF))
        {
            throw new InvalidDataException(hostile + ": write bytes above 0x7F as \\u00XX (one character per byte).");
        }

        return Encoding.Latin1.GetBytes(text);
    }

    [GeneratedRegex(@"\{\{repeat:(\d+):(.*?)\}\}", RegexOptions.Singleline)]
    private static partial Regex Repeat();
}

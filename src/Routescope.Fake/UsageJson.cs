using System.Globalization;
using System.Text;

namespace Routescope.Fake;

/// <summary>
/// Writes a usageMetadata object the way the upstream does: zero counts left out, details as lists of modality
/// entries, and the variations real answers show (<see cref="UsageDetailsStyle"/>).
/// </summary>
internal static class UsageJson
{
    public static string Write(UsageSnapshot usage, UsageDetailsStyle style)
    {
        var json = new StringBuilder("{");
        Count(json, "promptTokenCount", usage.PromptTokens, always: true);
        Count(json, "candidatesTokenCount", usage.CandidatesTokens);
        Count(json, "totalTokenCount", usage.TotalTokens, always: true);
        if (!usage.Omitted.HasFlag(EarlyUsageFields.CachedContentTokenCount))
        {
            Count(json, "cachedContentTokenCount", usage.CachedTokens);
        }

        if (!usage.Omitted.HasFlag(EarlyUsageFields.ToolUsePromptTokenCount))
        {
            Count(json, "toolUsePromptTokenCount", usage.ToolUseTokens);
        }

        if (!usage.Omitted.HasFlag(EarlyUsageFields.ThoughtsTokenCount))
        {
            Count(json, "thoughtsTokenCount", usage.ThoughtsTokens);
        }

        if (!style.HasFlag(UsageDetailsStyle.NoPromptDetails) && !usage.Omitted.HasFlag(EarlyUsageFields.PromptTokensDetails))
        {
            Details(json, "promptTokensDetails", ("TEXT", usage.PromptTokens));
        }

        if (usage.CachedTokens > 0 && !usage.Omitted.HasFlag(EarlyUsageFields.CachedContentTokenCount))
        {
            Details(json, "cacheTokensDetails", ("TEXT", usage.CachedTokens));
        }

        // Like the upstream, only the IMAGE modality is listed: answer text is what the candidates count leaves over.
        if (usage.ImageTokens > 0 && !style.HasFlag(UsageDetailsStyle.NoCandidatesDetails))
        {
            var image = style.HasFlag(UsageDetailsStyle.EscapedModality) ? "IM\\u0041GE" : "IMAGE";
            var half = usage.ImageTokens / 2;
            if (style.HasFlag(UsageDetailsStyle.ImageTwice))
            {
                Details(json, "candidatesTokensDetails", (image, half), (image, usage.ImageTokens - half));
            }
            else
            {
                Details(json, "candidatesTokensDetails", (image, usage.ImageTokens));
            }
        }

        return json.Append('}').ToString();
    }

    private static void Count(StringBuilder json, string name, long value, bool always = false)
    {
        if (value != 0 || always)
        {
            Separate(json).Append(CultureInfo.InvariantCulture, $"\"{name}\":{value}");
        }
    }

    /// <summary>Modality names are written as given: they are constants, some deliberately escaped.</summary>
    private static void Details(StringBuilder json, string name, params (string Modality, long Tokens)[] entries)
    {
        Separate(json).Append('"').Append(name).Append("\":[");
        for (var i = 0; i < entries.Length; i++)
        {
            json.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"{{\"modality\":\"{entries[i].Modality}\",\"tokenCount\":{entries[i].Tokens}}}");
        }

        json.Append(']');
    }

    private static StringBuilder Separate(StringBuilder json) => json.Length > 1 ? json.Append(',') : json;
}

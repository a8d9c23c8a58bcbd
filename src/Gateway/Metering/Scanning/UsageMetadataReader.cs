using System.Text.Json;

namespace Routescope.Gateway.Metering.Scanning;

/// <summary>
/// Reads one captured <c>usageMetadata</c> object with <see cref="Utf8JsonReader"/>, so escapes in keys and values
/// mean what JSON says. Counts are taken only when they are non-negative integers that fit in a long; anything else
/// (12.5, -3, 1e3, 99999999999999999999, "12", null) is not guessed at: the field counts as absent and the block is
/// marked invalid. Both proto3 JSON spellings of the field names are understood.
/// </summary>
internal static class UsageMetadataReader
{
    private static readonly string[] KnownModalities = ["TEXT", "IMAGE", "AUDIO", "VIDEO", "DOCUMENT", "MODALITY_UNSPECIFIED"];

    /// <summary>Fills <paramref name="block"/> from the object; false when the bytes are not one JSON object.</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, UsageBlock block)
    {
        block.Clear();
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                ReadField(ref reader, block);
            }

            return reader.TokenType == JsonTokenType.EndObject;
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            // A string that is not valid UTF-8.
            return false;
        }
    }

    private static void ReadField(ref Utf8JsonReader reader, UsageBlock block)
    {
        if (Is(ref reader, "promptTokenCount"u8, "prompt_token_count"u8))
        {
            block.PromptTokens = Count(ref reader, block) ?? block.PromptTokens;
        }
        else if (Is(ref reader, "candidatesTokenCount"u8, "candidates_token_count"u8))
        {
            block.CandidatesTokens = Count(ref reader, block) ?? block.CandidatesTokens;
        }
        else if (Is(ref reader, "thoughtsTokenCount"u8, "thoughts_token_count"u8))
        {
            block.ThoughtsTokens = Count(ref reader, block) ?? block.ThoughtsTokens;
        }
        else if (Is(ref reader, "cachedContentTokenCount"u8, "cached_content_token_count"u8))
        {
            block.CachedContentTokens = Count(ref reader, block) ?? block.CachedContentTokens;
        }
        else if (Is(ref reader, "toolUsePromptTokenCount"u8, "tool_use_prompt_token_count"u8))
        {
            block.ToolUsePromptTokens = Count(ref reader, block) ?? block.ToolUsePromptTokens;
        }
        else if (Is(ref reader, "totalTokenCount"u8, "total_token_count"u8))
        {
            block.TotalTokens = Count(ref reader, block) ?? block.TotalTokens;
        }
        else if (Is(ref reader, "promptTokensDetails"u8, "prompt_tokens_details"u8))
        {
            block.HasPromptDetails |= Details(ref reader, block, block.PromptDetails);
        }
        else if (Is(ref reader, "candidatesTokensDetails"u8, "candidates_tokens_details"u8))
        {
            block.HasCandidatesDetails |= Details(ref reader, block, block.CandidatesDetails);
        }
        else
        {
            reader.Skip();
        }
    }

    /// <summary>True when the property name is one of the two spellings; moves the reader to the value either way.</summary>
    private static bool Is(ref Utf8JsonReader reader, ReadOnlySpan<byte> camel, ReadOnlySpan<byte> snake)
    {
        if (reader.TokenType != JsonTokenType.PropertyName)
        {
            return false;
        }

        if (!reader.ValueTextEquals(camel) && !reader.ValueTextEquals(snake))
        {
            return false;
        }

        reader.Read();
        return true;
    }

    /// <summary>The count at the reader, or null (and the block invalid) when it is not a valid count.</summary>
    private static long? Count(ref Utf8JsonReader reader, UsageBlock block)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var count) && count >= 0)
        {
            return count;
        }

        block.Invalid = true;
        reader.Skip();
        return null;
    }

    /// <summary>Reads a modality list into <paramref name="details"/>, summing repeated modalities; false when it is not a list.</summary>
    private static bool Details(ref Utf8JsonReader reader, UsageBlock block, Dictionary<string, long> details)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            block.Invalid = true;
            reader.Skip();
            return false;
        }

        // A list repeated within one block replaces the earlier one, as a later block's would.
        details.Clear();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                block.Invalid = true;
                reader.Skip();
                continue;
            }

            Detail(ref reader, block, details);
        }

        return true;
    }

    private static void Detail(ref Utf8JsonReader reader, UsageBlock block, Dictionary<string, long> details)
    {
        string? modality = null;
        var valid = true;
        // Zero counts are left out on the wire: an entry without tokenCount has none.
        var tokens = 0L;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (Is(ref reader, "modality"u8, "modality"u8))
            {
                modality = reader.TokenType == JsonTokenType.String ? Modality(ref reader) : null;
                valid &= modality is not null;
                // Past the value when it was no string but an object or a list.
                reader.Skip();
            }
            else if (Is(ref reader, "tokenCount"u8, "token_count"u8))
            {
                var count = Count(ref reader, block);
                valid &= count is not null;
                tokens = count ?? 0;
            }
            else
            {
                reader.Skip();
            }
        }

        details.TryGetValue(modality ?? string.Empty, out var sum);
        if (!valid || modality is null || sum > long.MaxValue - tokens)
        {
            block.Invalid = true;
            return;
        }

        details[modality] = sum + tokens;
    }

    /// <summary>The modality's name, without a new string for the usual ones.</summary>
    private static string? Modality(ref Utf8JsonReader reader)
    {
        foreach (var known in KnownModalities)
        {
            if (reader.ValueTextEquals(known))
            {
                return known;
            }
        }

        return reader.GetString();
    }
}

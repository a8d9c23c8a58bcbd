using System.Text.Json;

namespace Routescope.Gateway.Metering.Scanning;

/// <summary>
/// Decodes the few short JSON strings the scanner keeps (keys, finish reasons, versions) with <see cref="Utf8JsonReader"/>,
/// so every escape JSON allows means what it says. Each is given with its quotes, as the one-value document it is.
/// </summary>
internal static class JsonStrings
{
    /// <summary>Writes the string's unescaped UTF-8 to <paramref name="destination"/> (never longer than the quoted text).</summary>
    public static bool TryUnescape(ReadOnlySpan<byte> quoted, Span<byte> destination, out int length)
    {
        length = 0;
        try
        {
            var reader = new Utf8JsonReader(quoted);
            if (!reader.Read() || reader.TokenType != JsonTokenType.String)
            {
                return false;
            }

            length = reader.CopyString(destination);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// The string's text: <paramref name="previous"/> itself when it says the same (streams repeat their model version
    /// in every event), null when the bytes are no valid JSON string.
    /// </summary>
    public static string? Decode(ReadOnlySpan<byte> quoted, string? previous)
    {
        try
        {
            var reader = new Utf8JsonReader(quoted);
            if (!reader.Read() || reader.TokenType != JsonTokenType.String)
            {
                return null;
            }

            return previous is not null && reader.ValueTextEquals(previous) ? previous : reader.GetString();
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            // Not valid UTF-8.
            return null;
        }
    }
}

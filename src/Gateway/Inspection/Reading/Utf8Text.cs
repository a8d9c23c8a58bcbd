using System.Buffers;
using System.Text.Unicode;

namespace Routescope.Gateway.Inspection.Reading;

/// <summary>
/// Strict UTF-8 validation (no overlong forms, no encoded surrogates, nothing above U+10FFFF) of a JSON token's raw
/// bytes. <see cref="System.Text.Json.Utf8JsonReader"/> checks structure, not the bytes inside strings, so without
/// this a string or field name of invalid UTF-8 would pass to an upstream whose parser may read it differently.
/// </summary>
internal static class Utf8Text
{
    public static bool IsValid(in ReadOnlySequence<byte> text)
    {
        if (text.IsSingleSegment)
        {
            return Utf8.IsValid(text.FirstSpan);
        }

        // A character may straddle two segments: its first bytes wait in a carry until the rest arrives.
        Span<byte> carry = stackalloc byte[4];
        int carried = 0, needed = 0;
        foreach (var memory in text)
        {
            var span = memory.Span;
            if (carried > 0)
            {
                var take = Math.Min(needed - carried, span.Length);
                span[..take].CopyTo(carry[carried..]);
                carried += take;
                span = span[take..];
                if (carried < needed)
                {
                    continue;
                }

                if (!Utf8.IsValid(carry[..needed]))
                {
                    return false;
                }

                carried = 0;
            }

            var tail = IncompleteTail(span, out needed);
            if (needed < 0 || !Utf8.IsValid(span[..^tail]))
            {
                return false;
            }

            span[^tail..].CopyTo(carry);
            carried = tail;
        }

        return carried == 0;
    }

    /// <summary>
    /// How many bytes at the end of <paramref name="span"/> start a character that continues beyond it, and the length
    /// that character needs (-1 for a byte that can start none).
    /// </summary>
    private static int IncompleteTail(ReadOnlySpan<byte> span, out int needed)
    {
        needed = 0;
        for (var back = 1; back <= Math.Min(3, span.Length); back++)
        {
            var b = span[^back];
            if (b < 0x80)
            {
                return 0;
            }

            if (b >= 0xC0)
            {
                needed = b switch
                {
                    < 0xE0 => 2,
                    < 0xF0 => 3,
                    < 0xF8 => 4,
                    _ => -1,
                };
                // A complete character at the end is left to Utf8.IsValid, as is a lead byte nothing can follow.
                return needed > back ? back : 0;
            }
        }

        return 0;
    }
}

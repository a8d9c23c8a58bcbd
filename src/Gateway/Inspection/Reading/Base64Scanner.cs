using System.Buffers;
using System.Buffers.Text;

namespace Routescope.Gateway.Inspection.Reading;

/// <summary>
/// Checks a base64 payload as it lies in the JSON text, segment by segment, without decoding or copying it: counts
/// characters, validates the alphabet (standard and URL-safe, as proto3 JSON accepts) and padding, and keeps the first
/// characters to recognise the image format. Runs of plain base64 are skipped with a vectorised search.
/// </summary>
internal struct Base64Scanner
{
    private const int HeadChars = 16;

    private static readonly SearchValues<byte> Alphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_"u8);

    private long _chars;
    private int _padding;
    private bool _invalid;
    private EscapeState _escape;
    private int _unicodeDigits;
    private int _unicodeValue;
    private HeadBuffer _head;

    private enum EscapeState
    {
        None,
        Backslash,
        Unicode,
    }

    /// <summary>Feeds raw JSON string bytes; <paramref name="escaped"/> when the token contains escape sequences.</summary>
    public void Append(ReadOnlySpan<byte> text, bool escaped)
    {
        while (!text.IsEmpty && !_invalid)
        {
            if (_escape == EscapeState.None && _padding == 0)
            {
                var run = text.IndexOfAnyExcept(Alphabet);
                var plain = run < 0 ? text : text[..run];
                KeepHead(plain);
                _chars += plain.Length;
                if (run < 0)
                {
                    return;
                }

                text = text[run..];
            }

            var b = text[0];
            text = text[1..];
            if (escaped)
            {
                Unescape(b);
            }
            else
            {
                Feed(b);
            }
        }
    }

    /// <summary>The most bytes <see cref="DecodeHead"/> writes.</summary>
    public const int MaxHeadBytes = HeadChars / 4 * 3;

    /// <summary>The verdict once every segment has been fed, with the first decoded bytes in a new array.</summary>
    public readonly (long Base64Length, long DecodedLength, bool Valid, byte[] Head) Complete()
    {
        var (length, decoded, valid) = Verdict();
        Span<byte> head = stackalloc byte[MaxHeadBytes];
        return (length, decoded, valid, valid ? head[..DecodeHead(head)].ToArray() : []);
    }

    /// <summary>The verdict once every segment has been fed, allocating nothing.</summary>
    public readonly (long Base64Length, long DecodedLength, bool Valid) Verdict()
    {
        var remainder = _chars % 4;
        var valid = !_invalid && _escape == EscapeState.None && remainder != 1 && (_padding == 0 || (_chars + _padding) % 4 == 0);
        var decoded = (_chars / 4 * 3) + (remainder == 2 ? 1 : remainder == 3 ? 2 : 0);
        return (_chars + _padding, valid ? decoded : 0, valid);
    }

    /// <summary>Decodes the first characters (whole groups of four) into <paramref name="destination"/>; returns the byte count.</summary>
    public readonly int DecodeHead(Span<byte> destination)
    {
        var count = (int)Math.Min(_chars, HeadChars);
        Span<byte> text = stackalloc byte[HeadChars];
        ((ReadOnlySpan<byte>)_head)[..count].CopyTo(text);
        for (var i = 0; i < count; i++)
        {
            text[i] = text[i] switch
            {
                (byte)'-' => (byte)'+',
                (byte)'_' => (byte)'/',
                var c => c,
            };
        }

        // Whole groups of four only; a trailing partial group of the head is dropped (it decodes to nothing new).
        count -= count % 4;
        Base64.DecodeFromUtf8(text[..count], destination, out _, out var written);
        return written;
    }

    private void Unescape(byte b)
    {
        switch (_escape)
        {
            case EscapeState.None when b == (byte)'\\':
                _escape = EscapeState.Backslash;
                return;
            case EscapeState.None:
                Feed(b);
                return;
            case EscapeState.Backslash when b == (byte)'/':
                _escape = EscapeState.None;
                Feed(b);
                return;
            case EscapeState.Backslash when b == (byte)'u':
                _escape = EscapeState.Unicode;
                _unicodeDigits = 0;
                _unicodeValue = 0;
                return;
            case EscapeState.Unicode:
                var digit = HexValue(b);
                _unicodeValue = (_unicodeValue << 4) | digit;
                if (digit < 0)
                {
                    _invalid = true;
                }
                else if (++_unicodeDigits == 4)
                {
                    _escape = EscapeState.None;
                    if (_unicodeValue < 128)
                    {
                        Feed((byte)_unicodeValue);
                    }
                    else
                    {
                        _invalid = true;
                    }
                }

                return;
            default:
                // \n, \", \\ and friends cannot be part of base64.
                _invalid = true;
                return;
        }
    }

    private void Feed(byte b)
    {
        if (b == (byte)'=')
        {
            _invalid |= ++_padding > 2;
        }
        else if (_padding == 0 && Alphabet.Contains(b))
        {
            KeepHead([b]);
            _chars++;
        }
        else
        {
            _invalid = true;
        }
    }

    private void KeepHead(ReadOnlySpan<byte> plain)
    {
        if (_chars < HeadChars)
        {
            var take = (int)Math.Min(HeadChars - _chars, plain.Length);
            plain[..take].CopyTo(((Span<byte>)_head)[(int)_chars..]);
        }
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    [System.Runtime.CompilerServices.InlineArray(HeadChars)]
    private struct HeadBuffer
    {
        private byte _element;
    }
}

namespace Routescope.Gateway.Hygiene;

/// <summary>
/// Watches a connection's incoming bytes for the framing Kestrel accepts but cannot show afterwards: a
/// <c>Content-Length</c> value with a sign (Kestrel's <c>Utf8Parser</c> takes <c>+5</c> for 5 and <c>-0</c> for 0 and keeps
/// only the number; fixed upstream in dotnet/aspnetcore#67635, not yet in the runtime the gateway ships on), and
/// <c>Content-Length</c> beside <c>Transfer-Encoding</c> in one head (Kestrel drops the length and reads chunks). A front
/// proxy that reads either differently frames the connection differently. Only line starts are compared, and a blank
/// line ends a head. Bodies are scanned too: the gateway's bodies are JSON, where a raw line break followed by such a
/// header name cannot occur, so a hit inside a body is a body the gateway would refuse anyway.
/// </summary>
internal sealed class ConnectionFramingScanner
{
    private const string Length = "content-length:";
    private const string Coding = "transfer-encoding:";

    private LineState _state = LineState.Other;
    private int _column;
    private bool _lengthInHead;
    private bool _codingInHead;
    private volatile string? _problem;

    private enum LineState
    {
        /// <summary>The current line cannot matter: skip to the next line feed.</summary>
        Other,

        /// <summary>At the start of a line, or still matching one of the header names.</summary>
        Matching,

        /// <summary>A carriage return began the line: a line feed next makes it the blank line ending a head.</summary>
        BlankCandidate,

        /// <summary>After <c>Content-Length:</c>, in the whitespace before its value.</summary>
        LengthValue,
    }

    /// <summary>What this connection carried that a request on it must be refused for; null while nothing.</summary>
    public string? Problem => _problem;

    public const string SignedLength = "Content-Length must be plain digits (RFC 9110 §8.6).";
    public const string LengthWithCoding = "Transfer-Encoding and Content-Length together frame the body two ways (RFC 9112 §6.1); send only one.";

    public void Scan(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty && _problem is null)
        {
            if (_state == LineState.Other)
            {
                // Bodies (base64 images) have few line breaks: jump to the next one instead of walking every byte.
                var lineFeed = bytes.IndexOf((byte)'\n');
                if (lineFeed < 0)
                {
                    return;
                }

                bytes = bytes[(lineFeed + 1)..];
                StartLine();
                continue;
            }

            Step(bytes[0]);
            bytes = bytes[1..];
        }
    }

    private void StartLine()
    {
        _state = LineState.Matching;
        _column = 0;
    }

    private void Step(byte b)
    {
        switch (_state)
        {
            case LineState.LengthValue:
                if (b is not ((byte)' ' or (byte)'\t'))
                {
                    if (b is (byte)'+' or (byte)'-')
                    {
                        _problem = SignedLength;
                    }

                    Next(b);
                }

                return;
            case LineState.BlankCandidate:
                if (b == '\n')
                {
                    EndHead();
                    StartLine();
                }
                else
                {
                    _state = LineState.Other;
                }

                return;
        }

        if (_column == 0 && b is (byte)'\r' or (byte)'\n')
        {
            if (b == '\n')
            {
                EndHead();
                StartLine();
            }
            else
            {
                _state = LineState.BlankCandidate;
            }

            return;
        }

        var lower = b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b;
        var length = _column < Length.Length && Length[_column] == lower;
        var coding = _column < Coding.Length && Coding[_column] == lower;
        _column++;
        if (length && _column == Length.Length)
        {
            _lengthInHead = true;
            _problem = _codingInHead ? LengthWithCoding : null;
            _state = LineState.LengthValue;
        }
        else if (coding && _column == Coding.Length)
        {
            _codingInHead = true;
            _problem = _lengthInHead ? LengthWithCoding : null;
            _state = LineState.Other;
        }
        else if (!length && !coding)
        {
            Next(b);
        }
    }

    // A byte that ends what the current line could mean: a line feed starts the next line.
    private void Next(byte b)
    {
        if (b == '\n')
        {
            StartLine();
        }
        else
        {
            _state = LineState.Other;
        }
    }

    private void EndHead()
    {
        _lengthInHead = false;
        _codingInHead = false;
    }
}

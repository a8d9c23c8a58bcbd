using Routescope.Gateway.Metering.Scanning;

namespace Routescope.Gateway.Metering.Framing;

/// <summary>
/// Frames a <c>text/event-stream</c> body for the scanner as the WHATWG HTML standard's event-stream interpretation
/// does (§9.2.6): lines end in CRLF, LF or CR; a line starting with ':' is a comment; <c>data</c> lines (one space after
/// the colon dropped) of one event are joined with '\n'; <c>event</c>, <c>id</c>, <c>retry</c> and unknown fields are
/// ignored; a blank line ends the event. Each event's data is one JSON document. Data is handed on as it arrives,
/// never buffered, since one line can hold a multi-megabyte image; line ends are found with a vectorised search.
/// </summary>
internal sealed class SseFramer(UsageScanner scanner) : IBodyReader
{
    private static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];
    private static ReadOnlySpan<byte> DataField => "data"u8;

    private State _state = State.StreamStart;
    private int _matched;
    private bool _lineEndedInCr;
    private bool _eventHasData;
    private int _finishesSeen;

    private enum State : byte
    {
        /// <summary>Before the first byte: one leading byte order mark is dropped.</summary>
        StreamStart,
        LineStart,

        /// <summary>In the field name; <see cref="_matched"/> bytes of <c>data</c> seen so far.</summary>
        FieldName,

        /// <summary>Just after the colon of a data line: one space may follow.</summary>
        DataColon,
        DataValue,

        /// <summary>In a line nothing is taken from: a comment, another field.</summary>
        Skipped,
    }

    /// <summary>
    /// Where, in the chunks fed since <see cref="ClearFinishingEvent"/>, the blank line of the last event that carried a
    /// finish (or block) reason starts: that event is the answer's end, which a client acts on as soon as it has that
    /// line. -1 when none ended.
    /// </summary>
    public int FinishingEventEnd { get; private set; } = -1;

    public void ClearFinishingEvent() => FinishingEventEnd = -1;

    public void Feed(ReadOnlySpan<byte> chunk)
    {
        var i = 0;
        while (i < chunk.Length)
        {
            switch (_state)
            {
                case State.DataValue:
                    var rest = chunk[i..];
                    var end = rest.IndexOfAny((byte)'\r', (byte)'\n');
                    if (end < 0)
                    {
                        scanner.Feed(rest);
                        return;
                    }

                    scanner.Feed(rest[..end]);
                    i += end;
                    EndLine(chunk[i++]);
                    continue;
                case State.Skipped:
                    var skip = chunk[i..].IndexOfAny((byte)'\r', (byte)'\n');
                    if (skip < 0)
                    {
                        return;
                    }

                    i += skip;
                    EndLine(chunk[i++]);
                    continue;
                case State.StreamStart:
                    // The BOM may arrive split; a stream starting with part of one starts with a line that is no field we read.
                    if (chunk[i] != Bom[_matched])
                    {
                        _state = _matched == 0 ? State.LineStart : State.Skipped;
                        continue;
                    }

                    i++;
                    if (++_matched == Bom.Length)
                    {
                        _state = State.LineStart;
                    }

                    continue;
                case State.LineStart:
                    LineStart(chunk[i], i);
                    i++;
                    continue;
                case State.FieldName:
                    FieldName(chunk[i++]);
                    continue;
                default:
                    // DataColon: the value starts here, after at most one space.
                    StartDataLine();
                    _state = State.DataValue;
                    if (chunk[i] == (byte)' ')
                    {
                        i++;
                    }

                    continue;
            }
        }
    }

    private void LineStart(byte b, int at)
    {
        if (b == (byte)'\n' && _lineEndedInCr)
        {
            // The LF of a CRLF whose CR ended the previous line.
            _lineEndedInCr = false;
            return;
        }

        _lineEndedInCr = false;
        switch (b)
        {
            case (byte)'\r' or (byte)'\n':
                EndEvent(at);
                _lineEndedInCr = b == (byte)'\r';
                break;
            case (byte)':':
                _state = State.Skipped;
                break;
            default:
                _state = State.FieldName;
                _matched = 0;
                FieldName(b);
                break;
        }
    }

    private void FieldName(byte b)
    {
        var isData = _matched == DataField.Length;
        switch (b)
        {
            case (byte)':':
                _state = isData ? State.DataColon : State.Skipped;
                break;
            case (byte)'\r' or (byte)'\n':
                // A field without a colon has an empty value: "data" alone is an empty data line.
                if (isData)
                {
                    StartDataLine();
                }

                EndLine(b);
                break;
            case var _ when !isData && b == DataField[_matched]:
                _matched++;
                break;
            default:
                _state = State.Skipped;
                break;
        }
    }

    private void StartDataLine()
    {
        if (_eventHasData)
        {
            scanner.Feed("\n"u8);
        }

        _eventHasData = true;
    }

    private void EndLine(byte lineEnd)
    {
        _state = State.LineStart;
        _lineEndedInCr = lineEnd == (byte)'\r';
    }

    private void EndEvent(int at)
    {
        if (_eventHasData)
        {
            _eventHasData = false;
            scanner.EndDocument();
            if (scanner.Finishes > _finishesSeen)
            {
                _finishesSeen = scanner.Finishes;
                FinishingEventEnd = at;
            }
        }
    }
}

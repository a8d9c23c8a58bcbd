using Routescope.Gateway.Gemini;

namespace Routescope.Gateway.Metering.Scanning;

/// <summary>
/// Reads a decoded Gemini response as it streams past, chunk by chunk, and keeps only what billing needs: the
/// <c>usageMetadata</c> blocks, <c>modelVersion</c>, <c>responseId</c>, the finish reasons, the block reason and the
/// complete inline images. It understands one JSON response, a JSON array of responses (streamGenerateContent without
/// <c>alt=sse</c>), and a sequence of documents ended by <see cref="EndDocument"/> (the SSE framer's events); bytes
/// outside a JSON value are ignored. String contents are skipped with a vectorised search and never stored, except
/// keys and the few short values it needs, so memory stays the same whatever the size of the images. Each usage
/// block is copied as it passes and read whole with a real JSON reader when it closes. Not thread-safe: one scanner
/// per response.
/// </summary>
internal sealed class UsageScanner : IBodyReader, IDisposable
{
    private const int MaxDepth = 64;

    /// <summary>Longest key or kept value, as it is on the wire (escapes included); longer ones are none of ours.</summary>
    private const int MaxString = 256;

    private readonly Frame[] _frames = new Frame[MaxDepth];

    // The string being kept, between a quote at [0] and one written at its end: one JSON value for Utf8JsonReader.
    private readonly byte[] _string = new byte[MaxString + 2];
    private readonly List<string> _finishReasons = [];
    private readonly UsageCapture _usage = new();
    private readonly UsageTally _tally = new();
    private int _depth;
    private int _overflowDepth;
    private Lex _lex;
    private bool _keeping;
    private bool _stringIsKey;
    private bool _escaped;
    private int _kept;
    private byte _bareStart;
    private bool _unbalanced;

    private string? _modelVersion;
    private string? _responseId;
    private string? _blockReason;
    private int _images;
    private int _thoughtImages;

    public UsageScanner() => _string[0] = (byte)'"';

    /// <summary>
    /// Finish and block reasons read so far, every occurrence (a second candidate ending in STOP counts again): a
    /// document that adds one ends an answer.
    /// </summary>
    public int Finishes { get; private set; }

    private enum Lex : byte
    {
        Value,
        InString,
        StringEscape,

        /// <summary>In a number, <c>true</c>, <c>false</c> or <c>null</c>.</summary>
        InBare,

        /// <summary>In a <c>usageMetadata</c> object, which <see cref="UsageCapture"/> follows.</summary>
        InUsage,
    }

    private enum Role : byte
    {
        Other,
        RootArray,
        Response,
        PromptFeedback,
        Candidates,
        Candidate,
        Content,
        Parts,
        Part,
        InlineData,
    }

    private enum Key : byte
    {
        None,
        Other,
        UsageMetadata,
        ModelVersion,
        ResponseId,
        PromptFeedback,
        BlockReason,
        Candidates,
        FinishReason,
        Content,
        Parts,
        InlineData,
        Thought,
    }

    public void Feed(ReadOnlySpan<byte> chunk)
    {
        var i = 0;
        while (i < chunk.Length)
        {
            switch (_lex)
            {
                case Lex.InString when !_keeping:
                    var stop = chunk[i..].IndexOfAny((byte)'"', (byte)'\\');
                    if (stop < 0)
                    {
                        return;
                    }

                    i += stop;
                    if (chunk[i++] == (byte)'\\')
                    {
                        _lex = Lex.StringEscape;
                    }
                    else
                    {
                        EndString();
                    }

                    continue;
                case Lex.InString:
                    i += KeepString(chunk[i..]);
                    continue;
                case Lex.StringEscape:
                    if (_keeping)
                    {
                        Keep(chunk.Slice(i, 1));
                    }

                    _lex = Lex.InString;
                    i++;
                    continue;
                case Lex.InBare:
                    if (IsBare(chunk[i]))
                    {
                        i++;
                    }
                    else
                    {
                        EndBare();
                    }

                    continue;
                case Lex.InUsage:
                    i += _usage.Take(chunk[i..]);
                    if (_usage.Closed)
                    {
                        EndUsage();
                    }

                    continue;
                default:
                    Structural(chunk[i++]);
                    continue;
            }
        }
    }

    /// <summary>
    /// The current document ended (an SSE event's blank line). A document cut off inside a value leaves the response
    /// unbalanced, and is dropped so that it cannot spoil the next one.
    /// </summary>
    public void EndDocument()
    {
        if (_lex == Lex.InBare)
        {
            EndBare();
        }

        if (_depth == 0 && _overflowDepth == 0 && _lex == Lex.Value)
        {
            return;
        }

        _unbalanced = true;
        if (_lex == Lex.InUsage)
        {
            _tally.MarkTorn();
            _usage.Abandon();
        }

        _depth = 0;
        _overflowDepth = 0;
        _lex = Lex.Value;
        _keeping = false;
    }

    /// <summary>What the response said, once it ended. Wire facts (bytes, timing, encoding) are the tap's to add.</summary>
    public ResponseObservation Complete()
    {
        if (_lex == Lex.InBare)
        {
            EndBare();
        }

        if (_lex == Lex.InUsage)
        {
            _tally.MarkTorn();
        }

        return new ResponseObservation
        {
            Usage = _tally.Counts(),
            ModelVersion = _modelVersion,
            ResponseId = _responseId,
            Images = _images,
            ThoughtImages = _thoughtImages,
            FinishReasons = _finishReasons.ToArray(),
            BlockReason = _blockReason,
            Balanced = !_unbalanced && _depth == 0 && _overflowDepth == 0 && _lex == Lex.Value,
            UsageInvalid = _tally.Invalid,
            UsageTorn = _tally.Torn,
        };
    }

    public void Dispose() => _usage.Dispose();

    private static bool IsBare(byte b) => b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') or (byte)'.' or (byte)'+' or (byte)'-';

    private void Structural(byte b)
    {
        if (_depth == 0 && _overflowDepth == 0)
        {
            // Between values: whitespace, array commas, and anything a non-SSE body has outside its JSON.
            if (b == (byte)'{')
            {
                Open(isObject: true, Role.Response);
            }
            else if (b == (byte)'[')
            {
                Open(isObject: false, Role.RootArray);
            }

            return;
        }

        switch (b)
        {
            case (byte)'{' when _overflowDepth == 0 && _frames[_depth - 1] is { Role: Role.Response, Key: Key.UsageMetadata }:
                _usage.Begin();
                _lex = Lex.InUsage;
                break;
            case (byte)'{':
                Open(isObject: true, ChildRole(isObject: true));
                break;
            case (byte)'[':
                Open(isObject: false, ChildRole(isObject: false));
                break;
            case (byte)'}' or (byte)']':
                Close();
                break;
            case (byte)',':
                if (_overflowDepth == 0 && _frames[_depth - 1].IsObject)
                {
                    _frames[_depth - 1].ExpectKey = true;
                }

                break;
            case (byte)'"':
                _stringIsKey = _overflowDepth == 0 && _frames[_depth - 1].IsObject && _frames[_depth - 1].ExpectKey;
                _keeping = _overflowDepth == 0 && (_stringIsKey || WantsString());
                _kept = 0;
                _escaped = false;
                _lex = Lex.InString;
                break;
            case var _ when IsBare(b):
                _bareStart = b;
                _lex = Lex.InBare;
                break;
        }
    }

    private void Open(bool isObject, Role role)
    {
        if (_overflowDepth > 0 || _depth == MaxDepth)
        {
            _overflowDepth++;
            return;
        }

        _frames[_depth++] = new Frame { IsObject = isObject, Role = role, ExpectKey = isObject };
    }

    private void Close()
    {
        if (_overflowDepth > 0)
        {
            _overflowDepth--;
            return;
        }

        if (_depth == 0)
        {
            return;
        }

        var closing = _frames[--_depth];
        switch (closing.Role)
        {
            case Role.InlineData:
                // Only a closed inlineData object is a whole image; its part decides, when it closes, what kind.
                _frames[_depth - 1].HasImage = true;
                break;
            case Role.Part when closing.HasImage && closing.IsThought:
                _thoughtImages++;
                break;
            case Role.Part when closing.HasImage:
                _images++;
                break;
        }

        EndScalar();
    }

    private Role ChildRole(bool isObject)
    {
        if (_overflowDepth > 0)
        {
            return Role.Other;
        }

        var parent = _frames[_depth - 1];
        return (parent.Role, parent.Key, isObject) switch
        {
            (Role.RootArray, _, true) => Role.Response,
            (Role.Response, Key.Candidates, false) => Role.Candidates,
            (Role.Response, Key.PromptFeedback, true) => Role.PromptFeedback,
            (Role.Candidates, _, true) => Role.Candidate,
            (Role.Candidate, Key.Content, true) => Role.Content,
            (Role.Content, Key.Parts, false) => Role.Parts,
            (Role.Parts, _, true) => Role.Part,
            (Role.Part, Key.InlineData, true) => Role.InlineData,
            _ => Role.Other,
        };
    }

    private bool WantsString()
    {
        var frame = _frames[_depth - 1];
        return (frame.Role, frame.Key) is (Role.Response, Key.ModelVersion) or (Role.Response, Key.ResponseId)
            or (Role.Candidate, Key.FinishReason) or (Role.PromptFeedback, Key.BlockReason);
    }

    /// <summary>Keeps a kept string's bytes up to its closing quote or next escape.</summary>
    /// <returns>How many bytes were read.</returns>
    private int KeepString(ReadOnlySpan<byte> rest)
    {
        var stop = rest.IndexOfAny((byte)'"', (byte)'\\');
        if (stop < 0)
        {
            Keep(rest);
            return rest.Length;
        }

        if (rest[stop] == (byte)'\\')
        {
            // The escape is kept as written and decoded with the whole string.
            Keep(rest[..(stop + 1)]);
            _escaped = true;
            _lex = Lex.StringEscape;
        }
        else
        {
            Keep(rest[..stop]);
            EndString();
        }

        return stop + 1;
    }

    private void Keep(ReadOnlySpan<byte> bytes)
    {
        if (_kept + bytes.Length <= MaxString)
        {
            bytes.CopyTo(_string.AsSpan(1 + _kept));
            _kept += bytes.Length;
        }
        else
        {
            _kept = MaxString + 1;
        }
    }

    private void EndString()
    {
        _lex = Lex.Value;
        if (!_keeping)
        {
            EndScalar();
            return;
        }

        _keeping = false;
        ref var frame = ref _frames[_depth - 1];
        if (_stringIsKey)
        {
            frame.Key = _kept > MaxString ? Key.Other : ReadKey();
            frame.ExpectKey = false;
            return;
        }

        if (_kept <= MaxString)
        {
            KeepValue(frame.Key);
        }

        EndScalar();
    }

    private Key ReadKey()
    {
        var raw = _string.AsSpan(1, _kept);
        if (!_escaped)
        {
            return KeyOf(raw);
        }

        Span<byte> name = stackalloc byte[MaxString];
        return JsonStrings.TryUnescape(Quoted(), name, out var length) ? KeyOf(name[..length]) : Key.Other;
    }

    private void KeepValue(Key key)
    {
        switch (key)
        {
            case Key.ModelVersion:
                _modelVersion = JsonStrings.Decode(Quoted(), _modelVersion) ?? _modelVersion;
                break;
            case Key.ResponseId:
                _responseId = JsonStrings.Decode(Quoted(), _responseId) ?? _responseId;
                break;
            case Key.BlockReason:
                _blockReason = JsonStrings.Decode(Quoted(), _blockReason) ?? _blockReason;
                Finishes++;
                break;
            case Key.FinishReason:
                Finishes++;
                if (JsonStrings.Decode(Quoted(), _finishReasons.Count == 0 ? null : _finishReasons[^1]) is { } reason && !_finishReasons.Contains(reason))
                {
                    _finishReasons.Add(reason);
                }

                break;
        }
    }

    /// <summary>The kept string with its quotes.</summary>
    private ReadOnlySpan<byte> Quoted()
    {
        _string[_kept + 1] = (byte)'"';
        return _string.AsSpan(0, _kept + 2);
    }

    private void EndBare()
    {
        _lex = Lex.Value;
        if (_overflowDepth == 0 && _depth > 0 && _bareStart == (byte)'t' && _frames[_depth - 1] is { Role: Role.Part, Key: Key.Thought })
        {
            _frames[_depth - 1].IsThought = true;
        }

        EndScalar();
    }

    private void EndUsage()
    {
        _lex = Lex.Value;
        if (_usage.Overflowed)
        {
            _tally.MarkTorn();
        }
        else
        {
            _tally.Add(_usage.Captured);
        }

        EndScalar();
    }

    /// <summary>A value ended: its key is done.</summary>
    private void EndScalar()
    {
        if (_overflowDepth == 0 && _depth > 0 && _frames[_depth - 1].IsObject)
        {
            _frames[_depth - 1].Key = Key.None;
        }
    }

    private static Key KeyOf(ReadOnlySpan<byte> name) => name.Length switch
    {
        5 when name.SequenceEqual("parts"u8) => Key.Parts,
        7 when name.SequenceEqual("content"u8) => Key.Content,
        7 when name.SequenceEqual("thought"u8) => Key.Thought,
        10 when name.SequenceEqual("candidates"u8) => Key.Candidates,
        10 when name.SequenceEqual("inlineData"u8) => Key.InlineData,
        10 when name.SequenceEqual("responseId"u8) => Key.ResponseId,
        11 when name.SequenceEqual("inline_data"u8) => Key.InlineData,
        11 when name.SequenceEqual("response_id"u8) => Key.ResponseId,
        11 when name.SequenceEqual("blockReason"u8) => Key.BlockReason,
        12 when name.SequenceEqual("modelVersion"u8) => Key.ModelVersion,
        12 when name.SequenceEqual("finishReason"u8) => Key.FinishReason,
        12 when name.SequenceEqual("block_reason"u8) => Key.BlockReason,
        13 when name.SequenceEqual("usageMetadata"u8) => Key.UsageMetadata,
        13 when name.SequenceEqual("model_version"u8) => Key.ModelVersion,
        13 when name.SequenceEqual("finish_reason"u8) => Key.FinishReason,
        14 when name.SequenceEqual("usage_metadata"u8) => Key.UsageMetadata,
        14 when name.SequenceEqual("promptFeedback"u8) => Key.PromptFeedback,
        15 when name.SequenceEqual("prompt_feedback"u8) => Key.PromptFeedback,
        _ => Key.Other,
    };

    private struct Frame
    {
        public bool IsObject;
        public bool ExpectKey;
        public Role Role;
        public Key Key;

        /// <summary>A part whose <c>inlineData</c> object closed.</summary>
        public bool HasImage;

        /// <summary>A part marked <c>"thought": true</c>, before or after its data.</summary>
        public bool IsThought;
    }
}

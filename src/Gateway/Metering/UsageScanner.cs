using Routescope.Gateway.Gemini;

namespace Routescope.Gateway.Metering;

/// <summary>
/// Reads a Gemini response as it streams past, chunk by chunk, and keeps only what billing needs: the last
/// <c>usageMetadata</c>, <c>modelVersion</c>, <c>responseId</c>, the finish reasons and the number of inline images.
/// It understands one JSON response, a JSON array of responses (streamGenerateContent without <c>alt=sse</c>) and SSE
/// (<c>data: {…}</c> events; everything outside a JSON value is ignored). String contents are skipped with a
/// vectorised search and never stored, except short keys and the few short values it needs, so memory stays the same
/// whatever the size of the images. Not thread-safe: one scanner per response.
/// </summary>
internal sealed class UsageScanner
{
    private const int MaxDepth = 64;
    private const int MaxCapture = 64;

    private readonly Frame[] _frames = new Frame[MaxDepth];
    private readonly byte[] _capture = new byte[MaxCapture];
    private readonly List<string> _finishReasons = [];
    private int _depth;
    private int _overflowDepth;
    private Lex _lex;
    private bool _capturing;
    private bool _stringIsKey;
    private int _captured;
    private long _number;
    private bool _numberIsInteger;
    private bool _numberNegative;
    private long _bytes;

    private UsageBuilder? _pendingUsage;
    private TokenCounts? _usage;
    private string? _detailModality;
    private long _detailTokens;
    private string? _modelVersion;
    private string? _responseId;
    private int _images;

    private enum Lex : byte
    {
        Value,
        InString,
        StringEscape,
        InNumber,
        InLiteral,
    }

    private enum Role : byte
    {
        Other,
        RootArray,
        Response,
        Usage,
        PromptDetails,
        CandidatesDetails,
        Detail,
        Candidates,
        Candidate,
        Content,
        Parts,
        Part,
    }

    private enum Key : byte
    {
        None,
        Other,
        UsageMetadata,
        ModelVersion,
        ResponseId,
        Candidates,
        FinishReason,
        Content,
        Parts,
        InlineData,
        PromptTokenCount,
        CandidatesTokenCount,
        ThoughtsTokenCount,
        CachedContentTokenCount,
        ToolUsePromptTokenCount,
        TotalTokenCount,
        PromptTokensDetails,
        CandidatesTokensDetails,
        Modality,
        TokenCount,
    }

    public void Feed(ReadOnlySpan<byte> chunk)
    {
        _bytes += chunk.Length;
        var i = 0;
        while (i < chunk.Length)
        {
            switch (_lex)
            {
                case Lex.InString when !_capturing:
                    var stop = chunk[i..].IndexOfAny((byte)'"', (byte)'\\');
                    if (stop < 0)
                    {
                        return;
                    }

                    i += stop;
                    _lex = chunk[i] == (byte)'\\' ? Lex.StringEscape : EndString();
                    i++;
                    continue;
                case Lex.InString:
                    var b = chunk[i++];
                    if (b == (byte)'\\')
                    {
                        _lex = Lex.StringEscape;
                    }
                    else if (b == (byte)'"')
                    {
                        _lex = EndString();
                    }
                    else
                    {
                        Capture(b);
                    }

                    continue;
                case Lex.StringEscape:
                    // Escapes never occur in the keys and values kept; an escaped byte just spoils the capture.
                    _captured = MaxCapture + 1;
                    _lex = Lex.InString;
                    i++;
                    continue;
                case Lex.InNumber:
                    var digit = chunk[i];
                    if (digit is >= (byte)'0' and <= (byte)'9')
                    {
                        _number = _numberIsInteger && _number < long.MaxValue / 10 ? (_number * 10) + (digit - '0') : _number;
                        i++;
                    }
                    else if (digit is (byte)'.' or (byte)'e' or (byte)'E' or (byte)'+' or (byte)'-')
                    {
                        _numberIsInteger = false;
                        i++;
                    }
                    else
                    {
                        EndNumber();
                        _lex = Lex.Value;
                    }

                    continue;
                case Lex.InLiteral:
                    if (chunk[i] is >= (byte)'a' and <= (byte)'z')
                    {
                        i++;
                    }
                    else
                    {
                        EndScalar();
                        _lex = Lex.Value;
                    }

                    continue;
                default:
                    Structural(chunk[i++]);
                    continue;
            }
        }
    }

    /// <summary>What the response said, once it ended; <paramref name="timing"/> is what the caller clocked.</summary>
    public ResponseObservation Complete(ResponseTiming timing = default)
    {
        if (_lex == Lex.InNumber)
        {
            EndNumber();
            _lex = Lex.Value;
        }

        return new ResponseObservation
        {
            Usage = _usage,
            ModelVersion = _modelVersion,
            ResponseId = _responseId,
            Images = _images,
            FinishReasons = _finishReasons.ToArray(),
            Balanced = _depth == 0 && _overflowDepth == 0 && _lex == Lex.Value,
            Bytes = _bytes,
            Timing = timing,
        };
    }

    private void Structural(byte b)
    {
        if (_depth == 0 && _overflowDepth == 0)
        {
            // Between values: SSE framing ("data: ", blank lines, other fields) and whitespace.
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
                _capturing = _stringIsKey || WantsString();
                _captured = 0;
                _lex = Lex.InString;
                break;
            case (byte)'-' or (>= (byte)'0' and <= (byte)'9'):
                _numberNegative = b == (byte)'-';
                _number = b == (byte)'-' ? 0 : b - '0';
                _numberIsInteger = true;
                _lex = Lex.InNumber;
                break;
            case >= (byte)'a' and <= (byte)'z':
                _lex = Lex.InLiteral;
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

        switch (role)
        {
            case Role.Usage:
                _pendingUsage = new UsageBuilder();
                break;
            case Role.Detail:
                _detailModality = null;
                _detailTokens = 0;
                break;
            case Role.Other when _depth > 0 && _frames[_depth - 1] is { Role: Role.Part, Key: Key.InlineData }:
                _images++;
                break;
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
            case Role.Usage when _pendingUsage is not null:
                _usage = _pendingUsage.Build();
                _pendingUsage = null;
                break;
            case Role.Detail when _detailModality is not null && _pendingUsage is not null && _depth > 0:
                (_frames[_depth - 1].Role == Role.PromptDetails ? _pendingUsage.Prompt : _pendingUsage.Candidates)[_detailModality] = _detailTokens;
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
            (Role.Response, Key.UsageMetadata, true) => Role.Usage,
            (Role.Response, Key.Candidates, false) => Role.Candidates,
            (Role.Candidates, _, true) => Role.Candidate,
            (Role.Candidate, Key.Content, true) => Role.Content,
            (Role.Content, Key.Parts, false) => Role.Parts,
            (Role.Parts, _, true) => Role.Part,
            (Role.Usage, Key.PromptTokensDetails, false) => Role.PromptDetails,
            (Role.Usage, Key.CandidatesTokensDetails, false) => Role.CandidatesDetails,
            (Role.PromptDetails or Role.CandidatesDetails, _, true) => Role.Detail,
            _ => Role.Other,
        };
    }

    private bool WantsString()
    {
        var frame = _frames[_depth - 1];
        return (frame.Role, frame.Key) is (Role.Response, Key.ModelVersion) or (Role.Response, Key.ResponseId)
            or (Role.Candidate, Key.FinishReason) or (Role.Detail, Key.Modality);
    }

    private void Capture(byte b)
    {
        if (_captured < MaxCapture)
        {
            _capture[_captured] = b;
        }

        _captured++;
    }

    private Lex EndString()
    {
        if (!_capturing)
        {
            EndScalar();
            return Lex.Value;
        }

        _capturing = false;
        var value = _captured <= MaxCapture ? _capture.AsSpan(0, _captured) : [];
        ref var frame = ref _frames[_depth - 1];
        if (_stringIsKey)
        {
            frame.Key = value.IsEmpty && _captured > 0 ? Key.Other : KeyOf(value);
            frame.ExpectKey = false;
            return Lex.Value;
        }

        var text = System.Text.Encoding.UTF8.GetString(value);
        switch (frame.Key)
        {
            case Key.ModelVersion:
                _modelVersion = text;
                break;
            case Key.ResponseId:
                _responseId = text;
                break;
            case Key.FinishReason when !_finishReasons.Contains(text, StringComparer.Ordinal):
                _finishReasons.Add(text);
                break;
            case Key.Modality:
                _detailModality = text;
                break;
        }

        EndScalar();
        return Lex.Value;
    }

    private void EndNumber()
    {
        if (_overflowDepth == 0 && _depth > 0 && _numberIsInteger && !_numberNegative)
        {
            var frame = _frames[_depth - 1];
            if (frame.Role == Role.Usage && _pendingUsage is not null)
            {
                _pendingUsage.Set(frame.Key, _number);
            }
            else if (frame is { Role: Role.Detail, Key: Key.TokenCount })
            {
                _detailTokens = _number;
            }
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

    private static Key KeyOf(ReadOnlySpan<byte> name) => name switch
    {
        _ when name.SequenceEqual("usageMetadata"u8) => Key.UsageMetadata,
        _ when name.SequenceEqual("modelVersion"u8) => Key.ModelVersion,
        _ when name.SequenceEqual("responseId"u8) => Key.ResponseId,
        _ when name.SequenceEqual("candidates"u8) => Key.Candidates,
        _ when name.SequenceEqual("finishReason"u8) => Key.FinishReason,
        _ when name.SequenceEqual("content"u8) => Key.Content,
        _ when name.SequenceEqual("parts"u8) => Key.Parts,
        _ when name.SequenceEqual("inlineData"u8) || name.SequenceEqual("inline_data"u8) => Key.InlineData,
        _ when name.SequenceEqual("promptTokenCount"u8) => Key.PromptTokenCount,
        _ when name.SequenceEqual("candidatesTokenCount"u8) => Key.CandidatesTokenCount,
        _ when name.SequenceEqual("thoughtsTokenCount"u8) => Key.ThoughtsTokenCount,
        _ when name.SequenceEqual("cachedContentTokenCount"u8) => Key.CachedContentTokenCount,
        _ when name.SequenceEqual("toolUsePromptTokenCount"u8) => Key.ToolUsePromptTokenCount,
        _ when name.SequenceEqual("totalTokenCount"u8) => Key.TotalTokenCount,
        _ when name.SequenceEqual("promptTokensDetails"u8) => Key.PromptTokensDetails,
        _ when name.SequenceEqual("candidatesTokensDetails"u8) => Key.CandidatesTokensDetails,
        _ when name.SequenceEqual("modality"u8) => Key.Modality,
        _ when name.SequenceEqual("tokenCount"u8) => Key.TokenCount,
        _ => Key.Other,
    };

    private struct Frame
    {
        public bool IsObject;
        public bool ExpectKey;
        public Role Role;
        public Key Key;
    }

    private sealed class UsageBuilder
    {
        private long _prompt, _candidates, _thoughts, _cached, _toolUse, _total;

        public Dictionary<string, long> Prompt { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, long> Candidates { get; } = new(StringComparer.Ordinal);

        public void Set(Key key, long value)
        {
            switch (key)
            {
                case Key.PromptTokenCount: _prompt = value; break;
                case Key.CandidatesTokenCount: _candidates = value; break;
                case Key.ThoughtsTokenCount: _thoughts = value; break;
                case Key.CachedContentTokenCount: _cached = value; break;
                case Key.ToolUsePromptTokenCount: _toolUse = value; break;
                case Key.TotalTokenCount: _total = value; break;
            }
        }

        public TokenCounts Build() => new()
        {
            PromptTokens = _prompt,
            CandidatesTokens = _candidates,
            ThoughtsTokens = _thoughts,
            CachedContentTokens = _cached,
            ToolUsePromptTokens = _toolUse,
            TotalTokens = _total,
            PromptByModality = Prompt,
            CandidatesByModality = Candidates,
        };
    }
}

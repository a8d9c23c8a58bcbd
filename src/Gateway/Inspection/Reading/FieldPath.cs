using System.Globalization;

namespace Routescope.Gateway.Inspection.Reading;

/// <summary>
/// A JSON path as the client wrote it, formatted only when a problem is reported there: a body of a million parts
/// must not cost a million path strings. Either a fixed path (<c>generationConfig.imageConfig</c>) or a place in
/// <c>contents</c> (<c>contents[2].parts[5].inline_data.mime_type</c>), or a top-level field nobody inspects, named by
/// where its name lies in the body.
/// </summary>
internal readonly struct FieldPath
{
    private readonly string? _fixed;
    private readonly int _content;
    private readonly int _part;
    private readonly string? _member;
    private readonly string? _leaf;
    private readonly long _nameAt;

    private FieldPath(string? fixedPath, int content, int part, string? member, string? leaf, long nameAt = -1)
    {
        _nameAt = nameAt;
        _fixed = fixedPath;
        _content = content;
        _part = part;
        _member = member;
        _leaf = leaf;
    }

    public static FieldPath Of(string path) => new(path, -1, -1, null, null);

    /// <summary>A top-level field whose name token starts at <paramref name="tokenStart"/> in the body.</summary>
    public static FieldPath NameAt(long tokenStart) => new("$", -1, -1, null, null, tokenStart);

    /// <summary>Where the name of the top-level field lies, for <see cref="NameAt"/> paths; null otherwise.</summary>
    public long? NameToken => _nameAt >= 0 ? _nameAt : null;

    /// <summary><c>contents[i]</c></summary>
    public static FieldPath Content(int content) => new(null, content, -1, null, null);

    /// <summary><c>contents[i].parts</c></summary>
    public static FieldPath Parts(int content) => new(null, content, -1, "parts", null);

    /// <summary><c>contents[i].parts[j]</c></summary>
    public static FieldPath Part(int content, int part) => new(null, content, part, null, null);

    /// <summary>This path with one more member, e.g. <c>.text</c> or <c>.inlineData</c>, then <c>.mimeType</c>.</summary>
    public FieldPath Member(string name) => _fixed is not null
        ? new(_fixed + "." + name, -1, -1, null, null)
        : _member is null ? new(null, _content, _part, name, null) : new(null, _content, _part, _member, name);

    public override string ToString()
    {
        if (_fixed is not null)
        {
            return _fixed;
        }

        var head = _part < 0
            ? string.Create(CultureInfo.InvariantCulture, $"contents[{_content}]")
            : string.Create(CultureInfo.InvariantCulture, $"contents[{_content}].parts[{_part}]");
        return (_member, _leaf) switch
        {
            (null, _) => head,
            (_, null) => head + "." + _member,
            _ => head + "." + _member + "." + _leaf,
        };
    }
}

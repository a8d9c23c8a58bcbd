namespace Routescope.Gateway.Gemini;

/// <summary>A byte range <c>[Start, End)</c> of the buffered request body.</summary>
internal readonly record struct BodyRange(long Start, long End)
{
    public long Length => End - Start;
}

using System.Buffers;

using Routescope.Gateway.Gemini;
using Routescope.Gateway.Inspection.Buffering;

namespace Routescope.Gateway.Fallback;

/// <summary>
/// Replaces a few byte ranges of a body and links everything else, inline image data above all, by reference: the
/// adapted body is a new sequence over the same memory, not a copy.
/// </summary>
internal static class BodySplicer
{
    public static ReadOnlySequence<byte> Splice(ReadOnlySequence<byte> source, IReadOnlyList<(BodyRange Range, ReadOnlyMemory<byte> Replacement)> edits)
    {
        MemorySegment? first = null, last = null;
        void Append(ReadOnlyMemory<byte> memory)
        {
            if (memory.IsEmpty)
            {
                return;
            }

            last = new MemorySegment(memory, last);
            first ??= last;
        }

        long position = 0;
        foreach (var (range, replacement) in edits.OrderBy(edit => edit.Range.Start))
        {
            foreach (var piece in source.Slice(position, range.Start - position))
            {
                Append(piece);
            }

            Append(replacement);
            position = range.End;
        }

        foreach (var piece in source.Slice(position))
        {
            Append(piece);
        }

        return first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
    }
}

using System.Buffers;

namespace Routescope.Gateway.Inspection.Buffering;

/// <summary>One pooled array of a body held in memory, linked into a <see cref="ReadOnlySequence{T}"/>.</summary>
internal sealed class BufferSegment : ReadOnlySequenceSegment<byte>
{
    public BufferSegment(byte[] array, int length, BufferSegment? previous)
    {
        Array = array;
        Memory = array.AsMemory(0, length);
        if (previous is not null)
        {
            RunningIndex = previous.RunningIndex + previous.Memory.Length;
            previous.Next = this;
        }
    }

    public byte[] Array { get; }
}

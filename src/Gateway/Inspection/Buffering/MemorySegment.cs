using System.Buffers;

namespace Routescope.Gateway.Inspection.Buffering;

/// <summary>A piece of memory linked into a <see cref="ReadOnlySequence{T}"/> (used to splice bodies without copying).</summary>
internal sealed class MemorySegment : ReadOnlySequenceSegment<byte>
{
    public MemorySegment(ReadOnlyMemory<byte> memory, MemorySegment? previous)
    {
        Memory = memory;
        if (previous is not null)
        {
            RunningIndex = previous.RunningIndex + previous.Memory.Length;
            previous.Next = this;
        }
    }
}

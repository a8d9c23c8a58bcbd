using System.Buffers;

namespace Routescope.Fake;

/// <summary>
/// Bytes labelled zstd that no decoder reads: the zstd frame magic, then the body XOR 0x5A. A reader that ignores
/// Content-Encoding sees neither JSON nor usage, which is what it would see of a real zstd body it cannot decode.
/// </summary>
internal sealed class UnreadableZstdStream(Stream inner) : WriteOnlyStream
{
    /// <summary>The XOR mask, for tests that want the plain body back.</summary>
    public const byte Mask = 0x5A;

    private static readonly byte[] Magic = [0x28, 0xB5, 0x2F, 0xFD];
    private bool _started;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var scrambled = ArrayPool<byte>.Shared.Rent(buffer.Length + Magic.Length);
        try
        {
            var length = Scramble(buffer, scrambled);
            inner.Write(scrambled, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scrambled);
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var scrambled = ArrayPool<byte>.Shared.Rent(buffer.Length + Magic.Length);
        try
        {
            var length = Scramble(buffer.Span, scrambled);
            await inner.WriteAsync(scrambled.AsMemory(0, length), cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scrambled);
        }
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    private int Scramble(ReadOnlySpan<byte> source, byte[] target)
    {
        var length = 0;
        if (!_started)
        {
            Magic.CopyTo(target, 0);
            length = Magic.Length;
            _started = true;
        }

        foreach (var b in source)
        {
            target[length++] = (byte)(b ^ Mask);
        }

        return length;
    }
}

using System.Buffers;
using System.IO.Compression;

namespace Routescope.Gateway.Metering.Decoding;

/// <summary>Decodes <c>br</c> bodies with the span-based <see cref="BrotliDecoder"/>, which keeps its own state between chunks.</summary>
internal sealed class BrotliContentDecoder : ContentDecoder
{
    private BrotliDecoder _decoder;
    private byte[]? _output = ArrayPool<byte>.Shared.Rent(OutputSize);
    private bool _done;

    public override void Decode(ReadOnlySpan<byte> encoded, IBodyReader decoded)
    {
        ObjectDisposedException.ThrowIf(_output is null, this);
        while (!_done)
        {
            var status = _decoder.Decompress(encoded, _output, out var consumed, out var written);
            encoded = encoded[consumed..];
            if (written > 0)
            {
                decoded.Feed(_output.AsSpan(0, written));
            }

            switch (status)
            {
                case OperationStatus.Done:
                    _done = true;
                    return;
                case OperationStatus.DestinationTooSmall:
                    continue;
                case OperationStatus.NeedMoreData:
                    // The decoder took the whole chunk into its state; the rest comes with the next one.
                    return;
                default:
                    throw new InvalidDataException("The brotli stream is corrupt.");
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _output is { } output)
        {
            _output = null;
            _decoder.Dispose();
            ArrayPool<byte>.Shared.Return(output);
        }
    }
}

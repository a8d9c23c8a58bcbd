using System.Buffers;
using System.IO.Compression;

namespace Routescope.Gateway.Metering.Decoding;

/// <summary>
/// Inflates gzip and deflate bodies through the BCL's zlib streams, fed piece by piece through <see cref="PushedBytes"/>.
/// <c>deflate</c> means zlib-wrapped (RFC 9110 §8.4.1.2), but some servers send raw deflate: the first two bytes tell
/// them apart by the zlib header check (RFC 1950 §2.2), as browsers do.
/// </summary>
internal sealed class InflatingDecoder(ContentCoding coding) : ContentDecoder
{
    private readonly PushedBytes _source = new();
    private readonly byte[] _header = new byte[2];
    private byte[]? _output = ArrayPool<byte>.Shared.Rent(OutputSize);
    private Stream? _inflater;
    private int _headerLength;

    public override void Decode(ReadOnlySpan<byte> encoded, IBodyReader decoded)
    {
        ObjectDisposedException.ThrowIf(_output is null, this);
        if (_inflater is null)
        {
            if (coding == ContentCoding.Gzip)
            {
                _inflater = new GZipStream(_source, CompressionMode.Decompress, leaveOpen: true);
            }
            else
            {
                // Hold the first byte until the second arrives: the check needs both.
                var take = Math.Min(_header.Length - _headerLength, encoded.Length);
                encoded[..take].CopyTo(_header.AsSpan(_headerLength));
                _headerLength += take;
                encoded = encoded[take..];
                if (_headerLength < _header.Length)
                {
                    return;
                }

                _inflater = IsZlibHeader(_header[0], _header[1])
                    ? new ZLibStream(_source, CompressionMode.Decompress, leaveOpen: true)
                    : new DeflateStream(_source, CompressionMode.Decompress, leaveOpen: true);
                Inflate(_inflater, _header, decoded);
            }
        }

        Inflate(_inflater, encoded, decoded);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _output is { } output)
        {
            _output = null;
            _inflater?.Dispose();
            _source.Dispose();
            ArrayPool<byte>.Shared.Return(output);
        }
    }

    /// <summary>CM 8 (deflate), a window of at most 32 KiB, and the header's check bits: a zlib stream.</summary>
    private static bool IsZlibHeader(byte cmf, byte flg) => (cmf & 0x0F) == 8 && (cmf >> 4) <= 7 && (((cmf << 8) | flg) % 31) == 0;

    private void Inflate(Stream inflater, ReadOnlySpan<byte> encoded, IBodyReader decoded)
    {
        while (!encoded.IsEmpty)
        {
            var piece = encoded[..Math.Min(encoded.Length, PushedBytes.Capacity)];
            encoded = encoded[piece.Length..];
            _source.Push(piece);
            int written;
            while ((written = inflater.Read(_output)) > 0)
            {
                decoded.Feed(_output.AsSpan(0, written));
            }
        }
    }
}

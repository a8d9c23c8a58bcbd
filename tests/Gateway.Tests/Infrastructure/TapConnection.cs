namespace Routescope.Gateway.Tests.Infrastructure;

/// <summary>One connection through a <see cref="TcpTap"/>: the bytes it carried toward the upstream, in order.</summary>
public sealed class TapConnection
{
    private readonly Lock _gate = new();
    private readonly MemoryStream _sent = new();

    public long Length
    {
        get
        {
            lock (_gate)
            {
                return _sent.Length;
            }
        }
    }

    internal void Append(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            _sent.Write(bytes);
        }
    }

    internal byte[] Snapshot(long from)
    {
        lock (_gate)
        {
            return _sent.GetBuffer().AsSpan((int)from, (int)(_sent.Length - from)).ToArray();
        }
    }
}

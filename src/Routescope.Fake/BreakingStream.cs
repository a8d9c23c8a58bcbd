namespace Routescope.Fake;

/// <summary>
/// The response body as sent on the wire (after compression), passing on at most a given number of bytes: the write
/// that would go past the limit sends what fits, then hands over to <paramref name="atLimit"/>, which breaks the
/// connection or stalls it; either way it throws once the answer is over.
/// </summary>
internal sealed class BreakingStream(Stream inner, long limit, Func<CancellationToken, Task> atLimit) : WriteOnlyStream
{
    private long _sent;

    public override void Write(ReadOnlySpan<byte> buffer) =>
        throw new NotSupportedException("Kestrel forbids synchronous writes; the fake writes asynchronously.");

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var fits = (int)Math.Min(buffer.Length, limit - _sent);
        if (fits > 0)
        {
            await inner.WriteAsync(buffer[..fits], cancellationToken);
            _sent += fits;
        }

        if (fits < buffer.Length)
        {
            await atLimit(cancellationToken);
        }
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
}

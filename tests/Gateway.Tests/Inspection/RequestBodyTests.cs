using System.Buffers;

using Routescope.Gateway.Inspection.Buffering;

namespace Routescope.Gateway.Tests.Inspection;

public sealed class RequestBodyTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(64 * 1024)]
    [InlineData(200_000)]
    public async Task Small_bodies_stay_in_memory_and_replay_identically(int size)
    {
        var data = Bytes(size);
        await using var body = await RequestBody.ReadAsync(new TrickleStream(data), maxBytes: 1_000_000, memoryThreshold: 256 * 1024, CancellationToken.None);

        Assert.NotNull(body);
        Assert.False(body.IsFileBacked);
        Assert.Equal(data, body.Sequence.ToArray());
        Assert.Equal(data, await ReadAllAsync(body.OpenRead()));
        Assert.Equal(data, await ReadAllAsync(body.OpenRead()));
    }

    [Fact]
    public async Task Bodies_beyond_the_threshold_spill_to_a_temp_file_unlinked_as_soon_as_it_is_open()
    {
        var data = Bytes(3 * 1024 * 1024 + 17);
        var body = await RequestBody.ReadAsync(new TrickleStream(data), maxBytes: 10_000_000, memoryThreshold: 1024 * 1024, CancellationToken.None);

        Assert.NotNull(body);
        Assert.True(body.IsFileBacked);
        // Its own file, not a count of the temp directory: other tests spill bodies there at the same time. Its name is
        // gone at once (a kill -9 leaves nothing behind); the open handle keeps the bytes.
        var file = body.FilePath;
        Assert.StartsWith(Path.GetTempPath(), file, StringComparison.Ordinal);
        Assert.False(File.Exists(file));
        Assert.Equal(data.Length, body.Length);
        Assert.Equal(data, body.Sequence.ToArray());
        Assert.Equal(data, await ReadAllAsync(body.OpenRead()));
        await body.DisposeAsync();
        Assert.False(File.Exists(file));
    }

    [Theory]
    [InlineData(1000, 999, 100_000)]
    [InlineData(300_000, 299_999, 65_536)]
    public async Task Reading_stops_once_the_limit_is_passed(int size, long max, int threshold)
    {
        var source = new TrickleStream(Bytes(size));
        var body = await RequestBody.ReadAsync(source, max, threshold, CancellationToken.None);

        Assert.Null(body);
    }

    private static byte[] Bytes(int size)
    {
        var data = new byte[size];
        new Random(size).NextBytes(data);
        return data;
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>Hands out data in odd-sized pieces, as a network stream does.</summary>
    private sealed class TrickleStream(byte[] data) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 7919)], cancellationToken);
    }
}

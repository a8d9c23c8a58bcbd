namespace Routescope.Gateway.Tests.Infrastructure;

/// <summary>
/// A small tmpfs of its own, so a test can fill a disk to ENOSPC without touching any other file system. Mounting
/// needs root (CI runs as root); without it the test fails, saying so, rather than passing untested.
/// </summary>
public sealed class TmpfsMount : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(20);

    private TmpfsMount(string path) => Path = path;

    public string Path { get; }

    /// <summary>What the file system has left for files.</summary>
    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    public static async Task<TmpfsMount> MountAsync(int megabytes)
    {
        var path = Directory.CreateTempSubdirectory("rsg-tmpfs-").FullName;
        var (exit, output) = await ExternalProcess.RunAsync("mount", ["-t", "tmpfs", "-o", $"size={megabytes}M,mode=0755", "tmpfs", path], path, null, CommandTimeout);
        if (exit != 0)
        {
            Directory.Delete(path);
            throw new Xunit.Sdk.XunitException(
                $"This test needs to mount a {megabytes} MB tmpfs (as root, with CAP_SYS_ADMIN), to fill a disk without filling a real one; mount said ({exit}): {output}");
        }

        return new TmpfsMount(path);
    }

    /// <summary>
    /// Writes a file until the file system refuses (ENOSPC), in ever smaller pieces, so what is left is less than a
    /// page; returns its path and how many bytes it holds.
    /// </summary>
    public (string File, long Bytes) Fill(string name)
    {
        var file = System.IO.Path.Combine(Path, name);
        long written = 0;
        // Unbuffered: each write reaches the file system at once, and its refusal reaches the test.
        using var stream = new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        foreach (var size in new[] { 1 << 20, 64 << 10, 4 << 10, 512 })
        {
            var chunk = new byte[size];
            Random.Shared.NextBytes(chunk);
            try
            {
                while (true)
                {
                    stream.Write(chunk);
                    written += size;
                }
            }
            catch (IOException)
            {
                // Full at this granularity; a partly written piece still counts towards the length.
                written = stream.Length;
                stream.Position = written;
            }
        }

        return (file, written);
    }

    public async ValueTask DisposeAsync()
    {
        // Lazy: detaches even while a killed process's descriptors linger.
        await ExternalProcess.RunAsync("umount", ["-l", Path], System.IO.Path.GetTempPath(), null, CommandTimeout);
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

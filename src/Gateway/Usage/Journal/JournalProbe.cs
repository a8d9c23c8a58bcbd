using System.Globalization;

namespace Routescope.Gateway.Usage.Journal;

/// <summary>Whether a directory takes a write of some size: tried beside the segments, fsynced, and removed.</summary>
internal static class JournalProbe
{
    public const string FilePrefix = "probe-";

    public static bool TakesWrites(string directory, int sizeBytes)
    {
        var path = Path.Combine(directory, FilePrefix + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        try
        {
            Directory.CreateDirectory(directory);
            using (var probe = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                probe.Write(new byte[sizeBytes]);
                probe.Flush(flushToDisk: true);
            }

            File.Delete(path);
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            TryDelete(path);
            return false;
        }
    }

    /// <summary>Probe files a crashed process left.</summary>
    public static void Clean(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory, FilePrefix + "*"))
        {
            TryDelete(file);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The next probe tries again; a leftover probe file is only a little wasted space.
        }
    }
}

namespace Routescope.Gateway.Usage.Journal;

/// <summary>
/// The journal's directory is one process's: an exclusive lock (flock) on its lock file for the life of the journal.
/// Two writers would release each other's records.
/// </summary>
internal static class JournalLock
{
    private const string FileName = "lock";

    /// <summary>
    /// The lock, or an <see cref="InvalidOperationException"/> naming the fix when another process holds it. A disk
    /// that cannot hold the file throws its own I/O error: that is the journal's ordinary refusal.
    /// </summary>
    public static FileStream Take(string directory)
    {
        var path = Path.Combine(directory, FileName);
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException) when (File.Exists(path) && JournalProbe.TakesWrites(directory, sizeBytes: 0))
        {
            // The directory takes new files, so only the lock can have refused this one.
            throw new InvalidOperationException(
                $"The usage journal in {directory} is locked, most likely by another gateway process on the same data directory. Give each replica a data directory of its own (Store:DataDirectory, or GATEWAY_DATA_DIR).");
        }
    }
}

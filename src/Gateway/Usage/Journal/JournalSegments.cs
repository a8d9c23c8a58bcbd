using System.Buffers;
using System.Globalization;
using System.Text;

namespace Routescope.Gateway.Usage.Journal;

/// <summary>The journal's directory: numbered segment files, oldest first, and how to read whole lines back from them.</summary>
internal sealed class JournalSegments(string directory)
{
    private const string Extension = ".journal";
    private const string ReleasedFileName = "released";

    /// <summary>Bytes read at a time: many records, and small enough to come from the shared pool.</summary>
    private const int ReadBlock = 256 * 1024;

    public string Directory => directory;

    public string PathOf(long segment) => Path.Combine(directory, segment.ToString("D12", CultureInfo.InvariantCulture) + Extension);

    /// <summary>The segment files present, oldest first.</summary>
    public List<long> List()
    {
        var segments = new List<long>();
        if (!System.IO.Directory.Exists(directory))
        {
            return segments;
        }

        foreach (var file in System.IO.Directory.EnumerateFiles(directory, "*" + Extension))
        {
            if (long.TryParse(Path.GetFileNameWithoutExtension(file), NumberStyles.None, CultureInfo.InvariantCulture, out var segment))
            {
                segments.Add(segment);
            }
        }

        segments.Sort();
        return segments;
    }

    /// <summary>
    /// Notes how far the store has the journal's records, so the next start neither counts nor reads them again. Not
    /// fsynced: a note lost in a crash only makes the next start read more, which the store's record ids make harmless.
    /// One small write at offset 0 of a fixed-width line, so it is never half old and half new in the page cache.
    /// </summary>
    public void NoteReleased(JournalPosition released)
    {
        using var file = new FileStream(Path.Combine(directory, ReleasedFileName), FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        RandomAccess.Write(file.SafeFileHandle, Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{released.Segment:D20} {released.Offset:D20}\n")), 0);
    }

    /// <summary>The last note of <see cref="NoteReleased"/>; the journal's start when there is none (or it is unreadable).</summary>
    public JournalPosition Released()
    {
        var path = Path.Combine(directory, ReleasedFileName);
        var parts = File.Exists(path) ? File.ReadAllText(path).Split(' ', StringSplitOptions.TrimEntries) : [];
        return parts.Length == 2
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var segment)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            ? new JournalPosition(segment, offset)
            : default;
    }

    /// <summary>
    /// Creates the file of a new segment; never opens an existing one (whose records could be a previous run's): false
    /// when the number is taken.
    /// </summary>
    public bool TryCreate(long segment, out FileStream? file)
    {
        try
        {
            file = new FileStream(PathOf(segment), FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete, bufferSize: 0);
            return true;
        }
        catch (IOException) when (File.Exists(PathOf(segment)))
        {
            file = null;
            return false;
        }
    }

    /// <summary>Deletes a segment whose records are all in the store; a file already gone is no error.</summary>
    public void Delete(long segment) => File.Delete(PathOf(segment));

    /// <summary>
    /// Reads the whole lines of <c>[from, end)</c> in one segment, at most <paramref name="maxRecords"/> records. A line
    /// that is no record (a torn tail, or garbage a failed write left) is skipped and counted; a last line without its
    /// '\n' is torn by definition, since every group the journal acknowledged ended with one.
    /// </summary>
    public JournalRead Read(long segment, long from, long end, int maxRecords)
    {
        if (end <= from || !File.Exists(PathOf(segment)))
        {
            return new JournalRead([], new JournalPosition(segment, Math.Max(from, end)), 0);
        }

        using var file = new FileStream(PathOf(segment), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(end - from, ReadBlock));
        try
        {
            return ReadLines(file, segment, from, end, maxRecords, ref buffer);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static JournalRead ReadLines(FileStream file, long segment, long from, long end, int maxRecords, ref byte[] buffer)
    {
        var records = new List<UsageRecord>();
        var torn = 0;
        var tornTail = false;
        var position = from;
        var filled = 0;
        while (position < end && records.Count < maxRecords)
        {
            if (filled == buffer.Length)
            {
                // One line longer than the buffer: grow it (records are a few kilobytes; this is the rare long one).
                var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                buffer.AsSpan(0, filled).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = larger;
            }

            var want = (int)Math.Min(buffer.Length - filled, end - position - filled);
            var read = want == 0 ? 0 : RandomAccess.Read(file.SafeFileHandle, buffer.AsSpan(filled, want), position + filled);
            filled += read;
            var lines = buffer.AsSpan(0, filled);
            var consumed = 0;
            while (records.Count < maxRecords && lines[consumed..].IndexOf((byte)'\n') is var newline and >= 0)
            {
                var line = lines.Slice(consumed, newline);
                consumed += newline + 1;
                if (line.IsEmpty)
                {
                    continue;
                }

                if (JournalLines.Decode(line) is { } record)
                {
                    records.Add(record);
                }
                else
                {
                    torn++;
                }
            }

            position += consumed;
            if (read == 0 && consumed == 0)
            {
                // What is left up to the end has no '\n': a torn tail. It is skipped, and never counted twice.
                tornTail = !lines.IsEmpty;
                torn += tornTail ? 1 : 0;
                position = end;
                break;
            }

            buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
            filled -= consumed;
        }

        return new JournalRead(records, new JournalPosition(segment, position), torn, tornTail ? 1 : 0);
    }
}

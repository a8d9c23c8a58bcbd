using System.Text;
using System.Text.Json;

using Microsoft.Extensions.Options;

using Routescope.Gateway.Hosting;

namespace Routescope.Gateway.Usage;

/// <summary>
/// Append-only JSON-lines file in the data directory for records the store could not take. Replay moves the file
/// aside first, so appends during a replay go to a fresh file; a crash mid-replay leaves both files to replay again,
/// which is safe because the store ignores record ids it already has.
/// </summary>
internal sealed class UsageSpill(IOptions<DataDirectoryOptions> dataDirectory, IOptions<UsageOptions> usage)
{
    private readonly Lock _gate = new();
    private long _pending = -1;

    private string PathName => dataDirectory.Value.File(usage.Value.SpillFileName);

    private string ReplayingPathName => PathName + ".replaying";

    /// <summary>Records waiting in the spill files (counted once, then tracked).</summary>
    public long Pending
    {
        get
        {
            lock (_gate)
            {
                if (_pending < 0)
                {
                    _pending = CountLines(PathName) + CountLines(ReplayingPathName);
                }

                return _pending;
            }
        }
    }

    public void Append(IReadOnlyCollection<UsageRecord> records)
    {
        if (records.Count == 0)
        {
            return;
        }

        var text = new StringBuilder();
        foreach (var record in records)
        {
            text.Append(JsonSerializer.Serialize(record, UsageJsonContext.Default.UsageRecord)).Append('\n');
        }

        lock (_gate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(PathName)!);
            using var file = new FileStream(PathName, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
            // A crash mid-append can leave a torn last line: the next record must start on a line of its own, or it
            // would be glued to the fragment and lost with it at replay.
            if (EndsTorn(file))
            {
                text.Insert(0, '\n');
            }

            file.Seek(0, SeekOrigin.End);
            file.Write(Encoding.UTF8.GetBytes(text.ToString()));
            // Money: the record must survive a crash the moment we said it was kept.
            file.Flush(flushToDisk: true);
            _pending = (_pending < 0 ? CountLines(PathName) - records.Count : _pending) + records.Count;
        }
    }

    /// <summary>
    /// Hands every spilled record to <paramref name="write"/> in batches: first a file left from an interrupted replay,
    /// then the current one. Each file goes only when all its records were taken.
    /// </summary>
    public async Task<SpillReplay> ReplayAsync(Func<IReadOnlyList<UsageRecord>, Task> write, int batchSize, CancellationToken cancellationToken)
    {
        var replayed = new SpillReplay(0, 0);
        for (var round = 0; round < 2; round++)
        {
            lock (_gate)
            {
                if (!File.Exists(ReplayingPathName))
                {
                    if (!File.Exists(PathName))
                    {
                        break;
                    }

                    File.Move(PathName, ReplayingPathName);
                }
            }

            var file = await ReplayFileAsync(write, batchSize, cancellationToken);
            replayed = new SpillReplay(replayed.Replayed + file.Replayed, replayed.TornFragments + file.TornFragments);
            lock (_gate)
            {
                File.Delete(ReplayingPathName);
                _pending = -1;
            }
        }

        return replayed;
    }

    private async Task<SpillReplay> ReplayFileAsync(Func<IReadOnlyList<UsageRecord>, Task> write, int batchSize, CancellationToken cancellationToken)
    {
        var replayed = 0;
        var torn = 0;
        var batch = new List<UsageRecord>(batchSize);
        using var reader = new StreamReader(ReplayingPathName, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (TryParse(line) is not { } record)
            {
                // A torn line from a crash mid-append: its record never counted as kept (the append had not returned).
                torn++;
                continue;
            }

            batch.Add(record);
            if (batch.Count == batchSize)
            {
                await write(batch);
                replayed += batch.Count;
                batch.Clear();
            }
        }

        await write(batch);
        return new SpillReplay(replayed + batch.Count, torn);
    }

    private static bool EndsTorn(FileStream file)
    {
        if (file.Length == 0)
        {
            return false;
        }

        file.Seek(-1, SeekOrigin.End);
        return file.ReadByte() != '\n';
    }

    private static UsageRecord? TryParse(string line)
    {
        try
        {
            var record = JsonSerializer.Deserialize(line, UsageJsonContext.Default.UsageRecord);
            // Lines spilled before records had an id of their own were keyed by request id: keep it, so a replay that
            // already reached the store stays a no-op. (A missing init-only property deserializes as null, not as its
            // initializer's value.)
            return record is not null && string.IsNullOrEmpty(record.RecordId) ? record with { RecordId = record.RequestId } : record;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static long CountLines(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        long lines = 0;
        foreach (var line in File.ReadLines(path))
        {
            lines += line.Length > 0 ? 1 : 0;
        }

        return lines;
    }
}

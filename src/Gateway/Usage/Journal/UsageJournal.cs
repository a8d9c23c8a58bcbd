using System.Threading.Channels;

using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Usage.Journal;

/// <summary>
/// The write-ahead journal every usage record goes through before anyone relies on it. Callers hand their records to
/// one flusher, which writes everything waiting in one go and fsyncs once (group commit: under load one fsync makes
/// hundreds of records durable). The sink reads the journal back in order, moves the records to the store and
/// releases what the store committed: a sealed segment whose records are all stored is deleted, and the active one is
/// dropped once the store has caught up with it. A disk that refuses a write (full, read-only, permissions) makes the
/// journal unavailable: the callers of that group are told, nothing throws anywhere else, and a probe every retry
/// interval finds out when the disk has room again.
/// </summary>
internal sealed partial class UsageJournal : IAsyncDisposable
{
    private const string ProbeFileName = "probe";
    private const string LockFileName = "lock";
    private const int ProbeBytes = 64 * 1024;
    private const int MaxGroup = 4096;

    private readonly Channel<JournalAppend> _appends = Channel.CreateUnbounded<JournalAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();

    /// <summary>Segments no longer written to, by number, with the end of their records.</summary>
    private readonly SortedDictionary<long, long> _sealed = [];
    private readonly JournalSegments _segments;
    private readonly long _segmentBytes;
    private readonly TimeSpan _retryInterval;
    private readonly UsageMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private TaskCompletionSource _grown = NewSignal();
    private FileStream? _active;
    private long _activeSegment = 1;
    private long _activeEnd;
    private JournalPosition _start = new(1, 0);
    private long _pending;
    private string? _refusal;
    private Task _flusher = Task.CompletedTask;
    private FileStream? _lock;

    public UsageJournal(string directory, long segmentBytes, TimeSpan retryInterval, UsageMetrics metrics, TimeProvider time, ILogger logger)
    {
        _segments = new JournalSegments(directory);
        _segmentBytes = segmentBytes;
        _retryInterval = retryInterval;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        metrics.ObserveJournal(() => Pending, () => Available);
    }

    /// <summary>Whether the disk takes records; false from a refused write until a probe or a write succeeds.</summary>
    public bool Available => Volatile.Read(ref _refusal) is null;

    /// <summary>Why the disk refuses (the exception's type and message), while it does.</summary>
    public string? Refusal => Volatile.Read(ref _refusal);

    /// <summary>Records made durable here and not yet released (committed to the store).</summary>
    public long Pending
    {
        get
        {
            lock (_gate)
            {
                return _pending;
            }
        }
    }

    /// <summary>Where the oldest record not yet released may be.</summary>
    public JournalPosition Start
    {
        get
        {
            lock (_gate)
            {
                return _start;
            }
        }
    }

    /// <summary>The end of what is on disk.</summary>
    public JournalPosition Durable
    {
        get
        {
            lock (_gate)
            {
                return new JournalPosition(_activeSegment, _activeEnd);
            }
        }
    }

    /// <summary>
    /// Takes stock of the segments a previous run left (they are read back, not written to again) and starts the
    /// flusher. Appends go to a new segment after the last one found. Throws when another process has the journal:
    /// two writers would release each other's records.
    /// </summary>
    public JournalOpening Open()
    {
        var found = 0L;
        var segments = 0;
        try
        {
            Directory.CreateDirectory(_segments.Directory);
            _lock = Lock();
            File.Delete(Path.Combine(_segments.Directory, ProbeFileName));
            var released = _segments.Released();
            foreach (var segment in _segments.List())
            {
                _activeSegment = segment + 1;
                var length = new FileInfo(_segments.PathOf(segment)).Length;
                var from = segment == released.Segment ? released.Offset : 0;
                if (segment < released.Segment || from >= length)
                {
                    // All in the store already; the previous run stopped before deleting it.
                    TryDelete(segment);
                    continue;
                }

                found += CountLines(segment, from);
                _sealed[segment] = length;
                segments++;
            }

            // Never below a released place: a segment numbered under it would pass for stored at the next start.
            _activeSegment = Math.Max(_activeSegment, released.Segment + 1);
            _start = _sealed.Count == 0 ? new JournalPosition(_activeSegment, 0)
                : _sealed.Keys.First() == released.Segment ? released
                : new JournalPosition(_sealed.Keys.First(), 0);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Refuse(exception);
        }

        _pending = found;
        _flusher = Task.Run(FlushAsync);
        return new JournalOpening(found, segments);
    }

    /// <summary>Hands records to the next group; completes once they are on disk, or fails with <see cref="JournalUnavailableException"/>.</summary>
    public Task AppendAsync(IReadOnlyList<UsageRecord> records)
    {
        if (records.Count == 0)
        {
            return Task.CompletedTask;
        }

        var append = new JournalAppend(JournalLines.Encode(records), records.Count);
        if (!_appends.Writer.TryWrite(append))
        {
            append.Refused(new JournalUnavailableException("The usage journal is closed."));
        }

        return append.Durable;
    }

    /// <summary>Up to <paramref name="maxRecords"/> durable records from <paramref name="from"/> on, in the order they were appended.</summary>
    public JournalRead Read(JournalPosition from, int maxRecords)
    {
        List<(long Segment, long End)> ranges;
        JournalPosition durable;
        lock (_gate)
        {
            ranges = [.. _sealed.Where(segment => segment.Key >= from.Segment).Select(segment => (segment.Key, segment.Value))];
            ranges.Add((_activeSegment, _activeEnd));
            durable = new JournalPosition(_activeSegment, _activeEnd);
        }

        var records = new List<UsageRecord>();
        var torn = 0;
        foreach (var (segment, end) in ranges)
        {
            var start = segment == from.Segment ? from.Offset : 0;
            var read = _segments.Read(segment, start, end, maxRecords - records.Count);
            records.AddRange(read.Records);
            torn += read.TornLines;
            if (records.Count == maxRecords)
            {
                return new JournalRead(records, read.End, torn);
            }
        }

        return new JournalRead(records, durable, torn);
    }

    /// <summary>Waits until more than <paramref name="after"/> is durable, or <paramref name="timeout"/> passed.</summary>
    public async Task WaitForMoreAsync(JournalPosition after, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task grown;
        lock (_gate)
        {
            if (new JournalPosition(_activeSegment, _activeEnd) > after)
            {
                return;
            }

            grown = _grown.Task;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAny(grown, Task.Delay(timeout, _time, stop.Token));
        await stop.CancelAsync();
    }

    /// <summary>
    /// The store committed every record before <paramref name="upTo"/> (<paramref name="records"/> of them since the last
    /// release): segments wholly before it go, and so does the active one if the store has caught up with it.
    /// </summary>
    public void Release(JournalPosition upTo, int records)
    {
        lock (_gate)
        {
            _pending = Math.Max(0, _pending - records);
            _start = upTo > _start ? upTo : _start;
            foreach (var (segment, end) in _sealed.ToArray())
            {
                if (segment < upTo.Segment || (segment == upTo.Segment && upTo.Offset >= end))
                {
                    TryDelete(segment);
                    _sealed.Remove(segment);
                }
            }

            if (_sealed.Count == 0 && upTo.Segment == _activeSegment && upTo.Offset == _activeEnd && _activeEnd > 0)
            {
                // Truncation: the next group starts a new segment, and this one (all stored) goes.
                CloseActive();
                TryDelete(_activeSegment);
                _activeSegment++;
                _activeEnd = 0;
            }

            try
            {
                _segments.NoteReleased(_start);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Without the note the next start reads these records again; the store ignores them.
            }
        }
    }

    /// <summary>Writes what is waiting, then stops taking records; the records not yet stored stay on disk for the next start.</summary>
    public async ValueTask DisposeAsync()
    {
        _appends.Writer.TryComplete();
        await _flusher;
        lock (_gate)
        {
            CloseActive();
            _lock?.Dispose();
            _lock = null;
        }
    }

    /// <summary>
    /// An exclusive lock (flock) on the journal's lock file for the life of the process. A lock another process holds
    /// stops the start; a disk that cannot hold the file is the journal's ordinary refusal.
    /// </summary>
    private FileStream Lock()
    {
        var path = Path.Combine(_segments.Directory, LockFileName);
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException) when (File.Exists(path) && TakesWrites())
        {
            throw new InvalidOperationException(
                $"The usage journal in {_segments.Directory} is in use by another gateway process. Give each replica a data directory of its own (Store:DataDirectory, or GATEWAY_DATA_DIR).");
        }
    }

    /// <summary>Whether the journal's directory takes a new file (then a lock file that cannot be opened is locked).</summary>
    private bool TakesWrites()
    {
        var path = Path.Combine(_segments.Directory, ProbeFileName + "-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            File.WriteAllBytes(path, []);
            File.Delete(path);
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task FlushAsync()
    {
        var group = new List<JournalAppend>();
        while (await NextGroupAsync())
        {
            while (group.Count < MaxGroup && _appends.Reader.TryRead(out var append))
            {
                group.Add(append);
            }

            if (group.Count > 0)
            {
                Commit(group);
                group.Clear();
            }
        }
    }

    /// <summary>Waits for records to write; while the disk refuses, probes it every retry interval meanwhile.</summary>
    private async Task<bool> NextGroupAsync()
    {
        while (!Available)
        {
            var waiting = _appends.Reader.WaitToReadAsync().AsTask();
            using var stop = new CancellationTokenSource();
            if (await Task.WhenAny(waiting, Task.Delay(_retryInterval, _time, stop.Token)) == waiting)
            {
                await stop.CancelAsync();
                return await waiting;
            }

            Probe();
        }

        return await _appends.Reader.WaitToReadAsync();
    }

    private void Commit(List<JournalAppend> group)
    {
        var records = 0;
        lock (_gate)
        {
            try
            {
                _active ??= OpenActive();
                var offset = _activeEnd;
                foreach (var append in group)
                {
                    RandomAccess.Write(_active.SafeFileHandle, append.Lines.Span, offset);
                    offset += append.Lines.Length;
                    records += append.Records;
                }

                // Money: the records count as kept only once this returns.
                _active.Flush(flushToDisk: true);
                _activeEnd = offset;
                _pending += records;
                Recovered();
                if (_activeEnd >= _segmentBytes)
                {
                    Seal();
                }

                var grown = _grown;
                _grown = NewSignal();
                grown.TrySetResult();
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                Refuse(exception);
                var refused = new JournalUnavailableException("The usage journal's disk refused the write: " + Refusal, exception);
                foreach (var append in group)
                {
                    append.Refused(refused);
                }

                return;
            }
        }

        _metrics.JournalGroup(records);
        foreach (var append in group)
        {
            append.Done();
        }
    }

    private FileStream OpenActive() =>
        new(_segments.PathOf(_activeSegment), FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read | FileShare.Delete, bufferSize: 0);

    /// <summary>The active segment is written to no more: a failed write may have left bytes past its end, never read.</summary>
    private void Seal()
    {
        CloseActive();
        if (_activeEnd > 0)
        {
            _sealed[_activeSegment] = _activeEnd;
        }
        else
        {
            TryDelete(_activeSegment);
        }

        _activeSegment++;
        _activeEnd = 0;
    }

    private void CloseActive()
    {
        try
        {
            _active?.Dispose();
        }
        catch (IOException)
        {
            // Nothing buffered (no write buffer): a failing close loses nothing.
        }

        _active = null;
    }

    private void Refuse(Exception exception)
    {
        _metrics.JournalRefused();
        if (_active is not null)
        {
            try
            {
                _active.SetLength(_activeEnd);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // Sealed below at its known end: whatever the failed write left past it is never read.
            }

            Seal();
        }

        if (Interlocked.Exchange(ref _refusal, exception.GetType().Name + ": " + exception.Message) is null)
        {
            LogRefused(_logger, exception.GetType().Name, exception.Message);
        }
    }

    private void Recovered()
    {
        if (Interlocked.Exchange(ref _refusal, null) is not null)
        {
            LogRecovered(_logger);
        }
    }

    /// <summary>Whether the disk takes a write of some size again, tried beside the segments and removed.</summary>
    private void Probe()
    {
        var path = Path.Combine(_segments.Directory, ProbeFileName);
        try
        {
            Directory.CreateDirectory(_segments.Directory);
            using (var probe = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                probe.Write(new byte[ProbeBytes]);
                probe.Flush(flushToDisk: true);
            }

            File.Delete(path);
            lock (_gate)
            {
                Recovered();
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // The next probe tries again.
            }
        }
    }

    private void TryDelete(long segment)
    {
        try
        {
            _segments.Delete(segment);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Left behind, it is read again at the next start; the store ignores the record ids it has.
        }
    }

    private long CountLines(long segment, long from)
    {
        long lines = 0;
        using var file = new FileStream(_segments.PathOf(segment), FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        file.Seek(from, SeekOrigin.Begin);
        var buffer = new byte[1 << 16];
        int read;
        while ((read = file.Read(buffer)) > 0)
        {
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }

        return lines;
    }

    [LoggerMessage(EventId = EventIds.UsageJournalRefused, Level = LogLevel.Error,
        Message = "The usage journal's disk refuses writes ({ExceptionType}: {Reason}); records cannot be made durable until it has room again")]
    private static partial void LogRefused(ILogger logger, string exceptionType, string reason);

    [LoggerMessage(EventId = EventIds.UsageJournalRecovered, Level = LogLevel.Information, Message = "The usage journal's disk takes writes again")]
    private static partial void LogRecovered(ILogger logger);
}

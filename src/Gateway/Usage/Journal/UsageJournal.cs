using System.Threading.Channels;

using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Usage.Journal;

/// <summary>
/// The write-ahead journal every usage record goes through before anyone relies on it. Callers hand their records to
/// one flusher thread, which writes everything waiting in one go and fsyncs once (group commit: under load one fsync
/// makes many records durable). The sink reads the journal back in order, moves the records to the store and
/// releases what the store committed: segments (rolled by size) go once wholly released, and a note of the released
/// place spares the next start what the store already has. A disk that refuses a write (full, read-only,
/// permissions) or stalls makes the journal unavailable: the callers of that group are told, nothing throws anywhere
/// else, and a probe every probe interval finds out when the disk takes writes again.
/// </summary>
internal sealed partial class UsageJournal : IAsyncDisposable
{
    private const int ProbeBytes = 64 * 1024;
    private const int MaxGroup = 4096;

    private readonly Channel<JournalAppend> _appends = Channel.CreateUnbounded<JournalAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();

    /// <summary>Guards <see cref="_oldestBySegment"/>: one reader of the disk for <see cref="OldestPending"/> at a time.</summary>
    private readonly Lock _oldestGate = new();

    /// <summary>Segments no longer written to, by number, with the end of their records.</summary>
    private readonly SortedDictionary<long, long> _sealed = [];
    private readonly JournalSegments _segments;
    private readonly UsageOptions _options;
    private readonly UsageMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _flushed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _grown = NewSignal();
    private FileStream? _active;
    private long _activeSegment = 1;
    private long _activeEnd;
    private JournalPosition _start = new(1, 0);
    private long _pending;
    private Dictionary<long, (long From, long End, DateTimeOffset? Oldest)> _oldestBySegment = [];
    private long _queued;
    private string? _refusal;

    /// <summary>Whether the segments of earlier runs were taken stock of: until then nothing may be appended.</summary>
    private volatile bool _stocked;
    private FileStream? _lock;
    private Timer? _watchdog;
    private bool _started;

    /// <summary>The group being written and fsynced, and since when (a timestamp); for the stall watchdog.</summary>
    private List<JournalAppend>? _writing;
    private long _writingSince;

    public UsageJournal(string directory, UsageOptions options, UsageMetrics metrics, TimeProvider time, ILogger logger)
    {
        _segments = new JournalSegments(directory);
        _options = options;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        metrics.ObserveJournal(() => Pending, () => Available);
    }

    /// <summary>Whether the disk takes records; false from a refused or stalled write until a probe or a write succeeds.</summary>
    public bool Available => Volatile.Read(ref _refusal) is null;

    /// <summary>Why the disk refuses (the exception's type and message), while it does.</summary>
    public string? Refusal => Volatile.Read(ref _refusal);

    /// <summary>Records made durable here (or found from an earlier run) and not yet released to the store.</summary>
    public long Pending => Math.Max(0, Interlocked.Read(ref _pending));

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
    /// Takes stock of the segments earlier runs left (they are read back, never written to again) and starts the
    /// flusher; appends go to new segments after them. Throws when another process holds the journal. A disk that
    /// refuses even this leaves the journal unavailable, and the probe takes stock once it can.
    /// </summary>
    public JournalOpening Open()
    {
        var opening = TakeStock() ?? default;
        var flusher = new Thread(Flush) { IsBackground = true, Name = "usage-journal" };
        flusher.Start();
        _started = true;
        // Real time, not the injected clock: a stall is the disk's, and a test clock must not invent one.
        _watchdog = new Timer(_ => CheckStall(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        return opening;
    }

    /// <summary>Hands records to the next group; completes once they are on disk, or fails with <see cref="JournalUnavailableException"/>.</summary>
    public Task AppendAsync(IReadOnlyList<UsageRecord> records)
    {
        if (records.Count == 0)
        {
            return Task.CompletedTask;
        }

        // Bounded: with a slow disk and callers that do not wait (best effort) the queue would grow without end.
        if (Interlocked.Add(ref _queued, records.Count) > _options.QueueCapacity)
        {
            Interlocked.Add(ref _queued, -records.Count);
            return Task.FromException(new JournalUnavailableException("The usage journal is too far behind its disk."));
        }

        var append = new JournalAppend(JournalLines.Encode(records), records.Count);
        if (!_appends.Writer.TryWrite(append))
        {
            Interlocked.Add(ref _queued, -records.Count);
            append.Refused(new JournalUnavailableException("The usage journal is closed."));
        }

        return append.Durable;
    }

    /// <summary>Up to <paramref name="maxRecords"/> durable records from <paramref name="from"/> on, in the order they were appended.</summary>
    public JournalRead Read(JournalPosition from, int maxRecords)
    {
        List<(long Segment, long End)> ranges = [];
        JournalPosition durable;
        lock (_gate)
        {
            foreach (var (segment, end) in _sealed)
            {
                if (segment >= from.Segment)
                {
                    ranges.Add((segment, end));
                }
            }

            ranges.Add((_activeSegment, _activeEnd));
            durable = new JournalPosition(_activeSegment, _activeEnd);
        }

        var records = new List<UsageRecord>();
        var torn = 0;
        var tails = 0;
        foreach (var (segment, end) in ranges)
        {
            var read = _segments.Read(segment, segment == from.Segment ? from.Offset : 0, end, maxRecords - records.Count);
            records.AddRange(read.Records);
            torn += read.TornLines;
            tails += read.TornTails;
            if (records.Count == maxRecords)
            {
                return new JournalRead(records, read.End, torn, tails);
            }
        }

        return new JournalRead(records, durable, torn, tails);
    }

    /// <summary>
    /// The earliest completion time (<see cref="UsageRecord.EndedAt"/>) among the records not yet released, or null
    /// when there are none: how far back an export may still be missing records. Read from disk, never from the write
    /// path: records are not appended in completion order, so only reading them all is exact. A sealed segment is read
    /// once (it never changes); the active one and a partly released first one are read from where the store stands,
    /// which is a few records while the store keeps up. A segment deleted meanwhile was released: nothing of it waits.
    /// </summary>
    public DateTimeOffset? OldestPending()
    {
        List<(long Segment, long From, long End)> ranges = [];
        lock (_gate)
        {
            foreach (var (segment, end) in _sealed)
            {
                if (segment >= _start.Segment)
                {
                    ranges.Add((segment, segment == _start.Segment ? _start.Offset : 0, end));
                }
            }

            if (_activeSegment >= _start.Segment)
            {
                ranges.Add((_activeSegment, _activeSegment == _start.Segment ? _start.Offset : 0, _activeEnd));
            }
        }

        DateTimeOffset? oldest = null;
        lock (_oldestGate)
        {
            var seen = new Dictionary<long, (long From, long End, DateTimeOffset? Oldest)>();
            foreach (var (segment, from, end) in ranges)
            {
                var known = _oldestBySegment.TryGetValue(segment, out var cached) && cached.From == from && cached.End == end
                    ? cached
                    : (From: from, End: end, Oldest: OldestIn(segment, from, end));
                if (known.Oldest != DateTimeOffset.MinValue)
                {
                    seen[segment] = known;
                }

                oldest = known.Oldest is { } found && (oldest is null || found < oldest) ? found : oldest;
            }

            // Only the segments still pending stay cached: released ones are gone for good.
            _oldestBySegment = seen;
        }

        return oldest;
    }

    private DateTimeOffset? OldestIn(long segment, long from, long end)
    {
        DateTimeOffset? oldest = null;
        try
        {
            var position = from;
            while (position < end)
            {
                var read = _segments.Read(segment, position, end, _options.BatchSize);
                foreach (var record in read.Records)
                {
                    oldest = oldest is null || record.EndedAt < oldest ? record.EndedAt : oldest;
                }

                if (read.End.Offset <= position)
                {
                    break;
                }

                position = read.End.Offset;
            }
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            // Deleted since the snapshot: the store has all of it.
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Unreadable now: its records may be of any time, so nothing is known to be complete (not cached).
            return DateTimeOffset.MinValue;
        }

        return oldest;
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
    /// The store committed every record before <paramref name="upTo"/>, <paramref name="lines"/> journal lines since
    /// the last release: the segments wholly before it go, and the place is noted for the next start. The file work
    /// happens outside the lock the flusher needs.
    /// </summary>
    public void Release(JournalPosition upTo, int lines)
    {
        List<long> released = [];
        bool moved;
        lock (_gate)
        {
            foreach (var (segment, end) in _sealed)
            {
                if (segment < upTo.Segment || (segment == upTo.Segment && upTo.Offset >= end))
                {
                    released.Add(segment);
                }
            }

            released.ForEach(segment => _sealed.Remove(segment));
            moved = upTo > _start;
            _start = moved ? upTo : _start;
        }

        Interlocked.Add(ref _pending, -lines);
        released.ForEach(TryDelete);
        if (moved)
        {
            try
            {
                _segments.NoteReleased(upTo);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Without the note the next start reads these records again; the store ignores them.
            }
        }
    }

    /// <summary>
    /// Writes what is waiting (bounded: a disk that hangs must not hang the shutdown), then stops taking records. What
    /// the store does not have stays on disk for the next start; a journal the store has caught up with leaves nothing.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        _appends.Writer.TryComplete();
        if (_watchdog is not null)
        {
            await _watchdog.DisposeAsync();
        }

        if (_started)
        {
            await _flushed.Task.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        lock (_gate)
        {
            var caughtUp = _sealed.Count == 0 && _start == new JournalPosition(_activeSegment, _activeEnd);
            CloseActive();
            if (caughtUp && _activeEnd > 0)
            {
                TryDelete(_activeSegment);
            }

            _lock?.Dispose();
            _lock = null;
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Locks the directory, and counts and registers the segments of earlier runs (those below the released note are
    /// deleted: the store has them). Null when the disk refused; then the journal stays unavailable.
    /// </summary>
    private JournalOpening? TakeStock()
    {
        try
        {
            Directory.CreateDirectory(_segments.Directory);
            _lock ??= JournalLock.Take(_segments.Directory);
            JournalProbe.Clean(_segments.Directory);
            var released = _segments.Released();
            long found = 0;
            var segments = 0;
            var next = released.Segment + 1;
            var registered = new SortedDictionary<long, long>();
            foreach (var segment in _segments.List())
            {
                next = Math.Max(next, segment + 1);
                var length = new FileInfo(_segments.PathOf(segment)).Length;
                var from = segment == released.Segment ? released.Offset : 0;
                if (segment < released.Segment || from >= length)
                {
                    // All in the store already; the previous run stopped before deleting it.
                    TryDelete(segment);
                    continue;
                }

                found += CountLines(segment, from);
                registered[segment] = length;
                segments++;
            }

            lock (_gate)
            {
                foreach (var (segment, end) in registered)
                {
                    _sealed[segment] = end;
                }

                // Never below a released place: a segment numbered under it would pass for stored at the next start.
                _activeSegment = Math.Max(next, _activeSegment);
                _activeEnd = 0;
                var first = _sealed.Count > 0 ? _sealed.Keys.First() : _activeSegment;
                _start = first == released.Segment ? released : new JournalPosition(first, 0);
            }

            Interlocked.Add(ref _pending, found);
            _stocked = true;
            return new JournalOpening(found, segments);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Refuse(exception);
            return null;
        }
    }

    private void Flush()
    {
        var group = new List<JournalAppend>();
        try
        {
            while (NextGroup())
            {
                while (group.Count < MaxGroup && _appends.Reader.TryRead(out var append))
                {
                    group.Add(append);
                }

                try
                {
                    Commit(group);
                }
                catch (Exception exception)
                {
                    // Nothing may end this thread: an unhandled exception here would end the process.
                    MarkUnavailable(exception.GetType().Name + ": " + exception.Message);
                    Fail(group, new JournalUnavailableException("The usage journal failed: " + exception.Message, exception));
                }

                group.Clear();
            }
        }
        finally
        {
            _flushed.TrySetResult();
        }
    }

    /// <summary>
    /// Blocks this thread (its own: fsync blocks, and must not hold up a pool thread) until records wait; while the
    /// journal is unavailable, probes the disk every probe interval meanwhile. False once the journal is closed.
    /// </summary>
    private bool NextGroup()
    {
        while (!Available)
        {
            var waiting = _appends.Reader.WaitToReadAsync().AsTask();
            if (waiting.Wait(_options.JournalProbeInterval))
            {
                return waiting.Result;
            }

            Probe();
        }

        return _appends.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult();
    }

    private void Probe()
    {
        try
        {
            if (!JournalProbe.TakesWrites(_segments.Directory, ProbeBytes) || (!_stocked && TakeStock() is null))
            {
                return;
            }

            Recovered();
        }
        catch (InvalidOperationException locked)
        {
            // Another process took the journal's lock while this one could not: stay unavailable, and say why.
            MarkUnavailable(locked.Message);
        }
    }

    private void Commit(List<JournalAppend> group)
    {
        if (group.Count == 0)
        {
            return;
        }

        var records = 0;
        foreach (var append in group)
        {
            records += append.Records;
        }

        Interlocked.Add(ref _queued, -records);
        if (!_stocked)
        {
            // Earlier runs' segments are not known yet: writing now could take one of their numbers.
            Fail(group, new JournalUnavailableException("The usage journal's disk refused it at start: " + Refusal));
            return;
        }

        lock (_gate)
        {
            try
            {
                _active ??= CreateActive();
                var offset = _activeEnd;
                Volatile.Write(ref _writing, group);
                Interlocked.Exchange(ref _writingSince, TimeProvider.System.GetTimestamp());
                foreach (var append in group)
                {
                    RandomAccess.Write(_active.SafeFileHandle, append.Lines.Span, offset);
                    offset += append.Lines.Length;
                }

                // Money: the records count as kept only once this returns.
                _active.Flush(flushToDisk: true);
                _activeEnd = offset;
                Interlocked.Add(ref _pending, records);
                Recovered();
                if (_activeEnd >= _options.JournalSegmentBytes)
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
                Fail(group, new JournalUnavailableException("The usage journal's disk refused the write: " + Refusal, exception));
                return;
            }
            finally
            {
                Volatile.Write(ref _writing, null);
            }
        }

        _metrics.JournalGroup(records);
        foreach (var append in group)
        {
            append.Done();
        }
    }

    private static void Fail(List<JournalAppend> group, JournalUnavailableException reason)
    {
        foreach (var append in group)
        {
            append.Refused(reason);
        }
    }

    /// <summary>A new segment file, under a number no file has: an existing one may hold a previous run's records.</summary>
    private FileStream CreateActive()
    {
        while (true)
        {
            if (_segments.TryCreate(_activeSegment, out var file))
            {
                // The new name must survive a power loss as the data will: sync the directory entry once.
                DirectorySync.Flush(_segments.Directory);
                return file!;
            }

            LogSegmentTaken(_logger, _activeSegment);
            _activeSegment++;
        }
    }

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

    /// <summary>Under the lock, from the flusher (or at start): the disk refused.</summary>
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

        MarkUnavailable(exception.GetType().Name + ": " + exception.Message);
    }

    /// <summary>
    /// From the watchdog: a group has been in its write or fsync for longer than the stall timeout. Its callers are told
    /// now (their records go to the store from memory) and no new group is awaited; if the fsync returns after all,
    /// those records are in both places, which the store's record ids make harmless.
    /// </summary>
    private void CheckStall()
    {
        var writing = Volatile.Read(ref _writing);
        if (writing is null || TimeProvider.System.GetElapsedTime(Interlocked.Read(ref _writingSince)) < _options.JournalStallTimeout)
        {
            return;
        }

        _metrics.JournalRefused();
        MarkUnavailable($"a write has not returned for {_options.JournalStallTimeout.TotalSeconds:0.#} s (the disk stalls)");
        Fail(writing, new JournalUnavailableException("The usage journal's disk stalls."));
    }

    private void MarkUnavailable(string reason)
    {
        if (Interlocked.Exchange(ref _refusal, reason) is null)
        {
            LogRefused(_logger, reason);
        }
    }

    private void Recovered()
    {
        if (Interlocked.Exchange(ref _refusal, null) is not null)
        {
            LogRecovered(_logger);
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
        Message = "The usage journal's disk refuses writes ({Reason}); records cannot be made durable until it takes them again")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = EventIds.UsageJournalRecovered, Level = LogLevel.Information, Message = "The usage journal's disk takes writes again")]
    private static partial void LogRecovered(ILogger logger);

    [LoggerMessage(EventId = EventIds.UsageJournalSegmentTaken, Level = LogLevel.Warning,
        Message = "Usage journal segment {Segment} exists already (not written by this run); appending to the next number instead")]
    private static partial void LogSegmentTaken(ILogger logger, long segment);
}

using System.Threading.Channels;

using Microsoft.Extensions.Options;

using Routescope.Gateway.Observability;
using Routescope.Gateway.Usage.Journal;

namespace Routescope.Gateway.Usage;

/// <summary>
/// Where requests leave their records. Each goes into the journal first (fsynced with the others of its group); one
/// writer reads the journal back in order, commits it to the store in batches (group commit again) and releases what
/// the store took. A store outage only makes the journal longer: nothing waits in memory for it, and a crash at any
/// moment leaves every acknowledged record on disk for the next start, which moves it to the store once (record ids).
/// A record the store refuses for what it holds is quarantined rather than allowed to stop everything behind it.
/// Records the journal's disk refused wait in memory for the store instead (bounded; beyond it they are lost and
/// counted) and are offered to the journal again when it has room. No I/O error stops the host or reaches a request.
/// </summary>
internal sealed partial class UsageSink : BackgroundService, IUsageSink
{
    private readonly UsageJournal _journal;
    private readonly Channel<UsageRecord> _unjournaled;
    private readonly IUsageStore _store;
    private readonly LegacySpill _legacy;
    private readonly UsageQuarantine _quarantine;
    private readonly UsageMetrics _metrics;
    private readonly UsageOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<UsageSink> _logger;
    private volatile bool _storeFailing;
    private volatile bool _closed;
    private long _lostSinceLogged;

    /// <summary>
    /// The earliest completion time (UTC ticks) of the records taken into memory since it last held none; a channel
    /// cannot be walked, so this is the bound, never later than the truth. Set with the write, cleared when empty,
    /// both under <see cref="_memoryGate"/> so a record never slips between the check and the clearing.
    /// </summary>
    private long _oldestInMemory = long.MaxValue;
    private readonly Lock _memoryGate = new();
    private long _lostLoggedAt;

    /// <summary>
    /// Records the journal refused, taken from the queue, that the store has not taken yet either. Whoever exchanges
    /// it for null owns the batch: the writer, or the shutdown while the writer is stuck.
    /// </summary>
    private List<UsageRecord>? _stranded;

    public UsageSink(UsageJournal journal, IUsageStore store, LegacySpill legacy, UsageQuarantine quarantine, UsageMetrics metrics,
        IOptions<UsageOptions> options, TimeProvider time, ILogger<UsageSink> logger)
    {
        _journal = journal;
        _store = store;
        _legacy = legacy;
        _quarantine = quarantine;
        _metrics = metrics;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _unjournaled = Channel.CreateBounded<UsageRecord>(new BoundedChannelOptions(_options.QueueCapacity) { FullMode = BoundedChannelFullMode.Wait });
        metrics.ObserveBacklog(() => QueueDepth);
    }

    /// <summary>Records in memory only, because the journal's disk refused them.</summary>
    public int QueueDepth => _unjournaled.Reader.Count + (Volatile.Read(ref _stranded)?.Count ?? 0);

    public bool StoreFailing => _storeFailing;

    /// <summary>The earliest completion time among the records in memory only (see <see cref="QueueDepth"/>), or null.</summary>
    public DateTimeOffset? OldestInMemory => Interlocked.Read(ref _oldestInMemory) is var ticks and < long.MaxValue ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>Whether records sit in the quarantine file, refused by the store for what they hold.</summary>
    public bool Quarantined => _quarantine.Holds;

    public async ValueTask<bool> KeepAsync(IReadOnlyList<UsageRecord> records)
    {
        if (records.Count == 0)
        {
            return true;
        }

        if (!_journal.Available)
        {
            // Not tried record by record: the journal's probe says when its disk takes writes again.
            Unjournaled(records);
            return _options.Durability == UsageDurability.BestEffort;
        }

        var durable = _journal.AppendAsync(records);
        if (_options.Durability == UsageDurability.BestEffort)
        {
            _ = KeepInMemoryIfRefusedAsync(durable, records);
            return true;
        }

        try
        {
            await durable;
            return true;
        }
        catch (JournalUnavailableException)
        {
            Unjournaled(records);
            return false;
        }
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Before the server takes requests: what a previous run left is counted, and new records go after it.
        var opening = _journal.Open();
        if (opening.Records > 0)
        {
            LogFound(_logger, opening.Records, opening.Segments);
        }

        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await base.StopAsync(cancellationToken);
        }
        finally
        {
            await CloseAsync();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        await ImportLegacySpillAsync();
        var cursor = _journal.Start;
        while (true)
        {
            var stopping = stoppingToken.IsCancellationRequested;
            try
            {
                var (moved, stored) = await MoveRoundAsync(cursor);
                cursor = moved;
                if (stopping)
                {
                    // One last round after shutdown began; what the store did not take stays in the journal.
                    return;
                }

                if (stored)
                {
                    await WaitForRecordsAsync(cursor, stoppingToken);
                }
                else
                {
                    await PauseAsync(stoppingToken);
                }
            }
            catch (Exception exception) when (!stopping)
            {
                // Nothing may end the writer: an exception out of here would stop the host.
                LogMoverFailed(_logger, exception.GetType().Name, exception.Message);
                await PauseAsync(stoppingToken);
            }
        }
    }

    /// <summary>One round: the records only in memory, then one batch of the journal. Returns the new cursor, and whether everything offered was stored.</summary>
    private async Task<(JournalPosition Cursor, bool Stored)> MoveRoundAsync(JournalPosition cursor)
    {
        var memoryMoved = await MoveUnjournaledAsync();
        JournalRead read;
        try
        {
            read = _journal.Read(cursor, _options.BatchSize);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            LogMoverFailed(_logger, exception.GetType().Name, exception.Message);
            return (cursor, false);
        }

        if (read.Records.Count > 0 && !await StoreAsync(read.Records))
        {
            return (cursor, false);
        }

        if (read.TornLines > 0)
        {
            // Counted once: only a read whose records were stored moves past them.
            _metrics.TornJournalLines(read.TornLines);
            LogTornLines(_logger, read.TornLines);
        }

        _journal.Release(read.End, read.Lines);
        return (read.End, memoryMoved);
    }

    /// <summary>
    /// Into the store; a batch refused for what a record holds is split until the record is found and quarantined.
    /// False when the store is unavailable (the batch is offered again later).
    /// </summary>
    private async Task<bool> StoreAsync(IReadOnlyList<UsageRecord> batch)
    {
        var failure = await TryWriteAsync(batch);
        if (failure is null)
        {
            return true;
        }

        if (!_store.IsRecordProblem(failure))
        {
            return false;
        }

        if (batch.Count > 1)
        {
            var half = batch.Count / 2;
            return await StoreAsync([.. batch.Take(half)]) && await StoreAsync([.. batch.Skip(half)]);
        }

        try
        {
            _quarantine.Add(batch);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        _metrics.Quarantined(1);
        LogQuarantined(_logger, batch[0].RecordId, failure.GetType().Name, failure.Message);
        return true;
    }

    private void Unjournaled(IReadOnlyList<UsageRecord> records)
    {
        var lost = 0;
        lock (_memoryGate)
        {
            foreach (var record in records)
            {
                var ticks = record.EndedAt.UtcTicks;
                if (_unjournaled.Writer.TryWrite(record))
                {
                    Volatile.Write(ref _oldestInMemory, Math.Min(_oldestInMemory, ticks));
                }
                else
                {
                    lost++;
                }
            }
        }

        if (lost > 0)
        {
            CountLost(lost);
        }
    }

    /// <summary>Counts lost records; the critical log line comes at most once a second, with the count since the last.</summary>
    private void CountLost(int records)
    {
        _metrics.Lost(records);
        Interlocked.Add(ref _lostSinceLogged, records);
        var now = TimeProvider.System.GetTimestamp();
        var last = Interlocked.Read(ref _lostLoggedAt);
        if ((last == 0 || TimeProvider.System.GetElapsedTime(last, now) >= TimeSpan.FromSeconds(1)) && Interlocked.CompareExchange(ref _lostLoggedAt, now, last) == last)
        {
            var count = Interlocked.Exchange(ref _lostSinceLogged, 0);
            LogLost(_logger, count);
        }
    }

    private async Task KeepInMemoryIfRefusedAsync(Task durable, IReadOnlyList<UsageRecord> records)
    {
        try
        {
            await durable;
        }
        catch (JournalUnavailableException)
        {
            Unjournaled(records);
        }
    }

    /// <summary>
    /// Offers the records the journal refused to the journal again (when it has room), else to the store. False when
    /// some are still waiting because neither took them.
    /// </summary>
    private async Task<bool> MoveUnjournaledAsync()
    {
        while (true)
        {
            var batch = Interlocked.Exchange(ref _stranded, null);
            if (batch is null)
            {
                batch = [];
                while (batch.Count < _options.BatchSize && _unjournaled.Reader.TryRead(out var record))
                {
                    batch.Add(record);
                }

                if (batch.Count == 0)
                {
                    ForgetOldestIfEmpty();
                    return true;
                }
            }

            if (!await TryJournalAsync(batch) && !await StoreAsync(batch))
            {
                if (_closed)
                {
                    // The shutdown has passed: nobody will offer these again.
                    CountLost(batch.Count);
                }
                else
                {
                    Volatile.Write(ref _stranded, batch);
                }

                return false;
            }
        }
    }

    /// <summary>Everything taken into memory is stored or journaled now (the caller just saw nothing left): the bound starts over.</summary>
    private void ForgetOldestIfEmpty()
    {
        lock (_memoryGate)
        {
            if (_unjournaled.Reader.Count == 0 && Volatile.Read(ref _stranded) is null)
            {
                Interlocked.Exchange(ref _oldestInMemory, long.MaxValue);
            }
        }
    }

    private async Task<bool> TryJournalAsync(List<UsageRecord> records)
    {
        if (!_journal.Available)
        {
            return false;
        }

        try
        {
            await _journal.AppendAsync(records);
            return true;
        }
        catch (JournalUnavailableException)
        {
            return false;
        }
    }

    /// <summary>Writes the batch; the failure, or null. Every exception is the store's: nothing here is cancelled.</summary>
    private async Task<Exception?> TryWriteAsync(IReadOnlyList<UsageRecord> batch)
    {
        try
        {
            await _store.WriteAsync(batch, CancellationToken.None);
            _metrics.Batch(batch.Count);
            _storeFailing = false;
            return null;
        }
        catch (Exception exception)
        {
            if (!_store.IsRecordProblem(exception))
            {
                if (!_storeFailing)
                {
                    LogStoreFailed(_logger, exception.GetType().Name, batch.Count);
                }

                _storeFailing = true;
            }

            _metrics.WriteFailed();
            return exception;
        }
    }

    /// <summary>
    /// Until the journal has more than <paramref name="cursor"/> or records wait in memory; then a moment more, so
    /// that one store transaction takes many records. The moment is real time, not <see cref="TimeProvider"/>: it
    /// exists for the disk's sake, and a test clock that never advances must not hold records back.
    /// </summary>
    private async Task WaitForRecordsAsync(JournalPosition cursor, CancellationToken stoppingToken)
    {
        using var woken = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var memory = _unjournaled.Reader.WaitToReadAsync(woken.Token).AsTask();
        await Task.WhenAny(_journal.WaitForMoreAsync(cursor, _options.ReplayInterval, woken.Token), memory);
        await woken.CancelAsync();
        try
        {
            if (_options.CommitDelay > TimeSpan.Zero && !stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(_options.CommitDelay, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down: the last round commits what is there.
        }
    }

    /// <summary>Waits a replay interval before the store is offered a batch again.</summary>
    private async Task PauseAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(_options.ReplayInterval, _time, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Shutting down: the last round follows.
        }
    }

    private async Task ImportLegacySpillAsync()
    {
        try
        {
            var (records, torn) = _legacy.Read();
            if (records.Count == 0 && torn == 0)
            {
                return;
            }

            // In batches: one append of a huge file would be one huge buffer.
            foreach (var chunk in records.Chunk(_options.BatchSize))
            {
                await _journal.AppendAsync(chunk);
            }

            _legacy.Delete();
            LogImported(_logger, records.Count, torn);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or JournalUnavailableException)
        {
            // The spill files stay where they are; the next start imports them.
            LogImportFailed(_logger, exception.GetType().Name);
        }
    }

    /// <summary>At shutdown: records only in memory go to the journal if it takes them; the log then says what waits on disk.</summary>
    private async Task CloseAsync()
    {
        _closed = true;
        // From here a record nobody would read is counted as lost, not queued.
        _unjournaled.Writer.TryComplete();
        var left = Interlocked.Exchange(ref _stranded, null) ?? [];
        while (_unjournaled.Reader.TryRead(out var record))
        {
            left.Add(record);
        }

        if (left.Count > 0 && !await TryJournalAsync(left))
        {
            // The log says what happened: these records are gone with the process.
            CountLost(left.Count);
        }

        if (Interlocked.Exchange(ref _lostSinceLogged, 0) is var unlogged and > 0)
        {
            LogLost(_logger, unlogged);
        }

        await _journal.DisposeAsync();
        var pending = _journal.Pending;
        if (pending > 0)
        {
            LogLeftInJournal(_logger, pending);
        }
    }

    [LoggerMessage(EventId = EventIds.UsageStoreWriteFailed, Level = LogLevel.Error,
        Message = "Usage store write failed ({ExceptionType}) for a batch of {Count} records; they wait in the usage journal and are offered again")]
    private static partial void LogStoreFailed(ILogger logger, string exceptionType, int count);

    [LoggerMessage(EventId = EventIds.UsageRecordsLost, Level = LogLevel.Critical,
        Message = "{Count} usage records lost: the journal's disk refused them and the memory queue was full (or the process stopping)")]
    private static partial void LogLost(ILogger logger, long count);

    [LoggerMessage(EventId = EventIds.UsageJournalFound, Level = LogLevel.Information,
        Message = "The usage journal holds {Count} records of a previous run in {Segments} segments; they are moved to the store")]
    private static partial void LogFound(ILogger logger, long count, int segments);

    [LoggerMessage(EventId = EventIds.UsageJournalTorn, Level = LogLevel.Warning,
        Message = "Skipped {Count} torn usage journal lines (a write a crash interrupted; their records had not been acknowledged)")]
    private static partial void LogTornLines(ILogger logger, int count);

    [LoggerMessage(EventId = EventIds.UsageMoverFailed, Level = LogLevel.Error, Message = "Moving usage records to the store failed ({ExceptionType}: {Reason}); retrying")]
    private static partial void LogMoverFailed(ILogger logger, string exceptionType, string reason);

    [LoggerMessage(EventId = EventIds.UsageRecordsQuarantined, Level = LogLevel.Error,
        Message = "The usage store refused record {RecordId} for what it holds ({ExceptionType}: {Reason}); it is kept in usage-quarantine.jsonl in the data directory")]
    private static partial void LogQuarantined(ILogger logger, string recordId, string exceptionType, string reason);

    [LoggerMessage(EventId = EventIds.UsageSpillImported, Level = LogLevel.Information,
        Message = "Moved {Count} records of an old usage spill file into the journal ({Torn} torn lines skipped)")]
    private static partial void LogImported(ILogger logger, int count, int torn);

    [LoggerMessage(EventId = EventIds.UsageSpillImportFailed, Level = LogLevel.Warning,
        Message = "The old usage spill file could not be moved into the journal ({ExceptionType}); it stays for the next start")]
    private static partial void LogImportFailed(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = EventIds.UsageLeftInJournal, Level = LogLevel.Warning,
        Message = "Shutdown: {Count} usage records wait in the usage journal for the store; the next start moves them")]
    private static partial void LogLeftInJournal(ILogger logger, long count);
}

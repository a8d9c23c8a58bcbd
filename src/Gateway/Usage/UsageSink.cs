using System.Threading.Channels;

using Microsoft.Extensions.Options;

using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Usage;

/// <summary>
/// Requests hand their record to a bounded queue and move on; one writer commits the queue in batches (group
/// commit). A failed write goes to the spill file and is replayed when the store answers again; replays are idempotent
/// by record id. On shutdown the queue is drained; whatever the store cannot take in time is spilled. A record is
/// never waited on. When neither the store nor the spill file takes a batch (a full or read-only disk), the batch is
/// kept in memory and offered again every replay interval, and the queue waits behind it: no I/O error stops the host
/// or reaches a request. Only a record that finds the queue full and the disk refusing it is lost, and that is counted.
/// </summary>
internal sealed partial class UsageSink : BackgroundService, IUsageSink
{
    private readonly Channel<UsageRecord> _queue;
    private readonly IUsageStore _store;
    private readonly UsageSpill _spill;
    private readonly UsageMetrics _metrics;
    private readonly IOptions<UsageOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<UsageSink> _logger;
    private volatile bool _storeFailing;

    /// <summary>A batch neither the store nor the spill file took, waiting for either to come back.</summary>
    private List<UsageRecord>? _stranded;

    public UsageSink(IUsageStore store, UsageSpill spill, UsageMetrics metrics, IOptions<UsageOptions> options, TimeProvider time, ILogger<UsageSink> logger)
    {
        _store = store;
        _spill = spill;
        _metrics = metrics;
        _options = options;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<UsageRecord>(new BoundedChannelOptions(options.Value.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        metrics.ObserveBacklog(() => _queue.Reader.Count, () => _spill.Pending);
    }

    public int QueueDepth => _queue.Reader.Count;

    public long SpillPending => _spill.Pending;

    public bool StoreFailing => _storeFailing;

    public void Submit(UsageRecord record)
    {
        if (!_queue.Writer.TryWrite(record))
        {
            // Queue full or shutting down: the record goes to disk rather than waiting or being lost.
            if (TrySpill([record]))
            {
                _metrics.Spilled(1);
            }
            else
            {
                _metrics.Lost(1);
                LogLost(_logger, 1);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        try
        {
            await base.StopAsync(cancellationToken);
        }
        finally
        {
            var left = new List<UsageRecord>(_stranded ?? []);
            while (_queue.Reader.TryRead(out var record))
            {
                left.Add(record);
            }

            if (left.Count > 0 && TrySpill(left))
            {
                _metrics.Spilled(left.Count);
                LogSpilledAtShutdown(_logger, left.Count);
            }
            else if (left.Count > 0)
            {
                // The log says what happened: these records are gone with the process.
                _metrics.Lost(left.Count);
                LogLost(_logger, left.Count);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        await ReplayAsync(stoppingToken);
        var batch = new List<UsageRecord>(_options.Value.BatchSize);
        while (true)
        {
            if (_stranded is { } stranded)
            {
                // Nothing new is read while a batch waits: the queue holds the rest, bounded, in order.
                if (!await TryKeepAsync(stranded, stoppingToken))
                {
                    if (!await PauseAsync(stoppingToken))
                    {
                        return;
                    }

                    continue;
                }

                _stranded = null;
            }

            // Not cancelled by stoppingToken: on shutdown the writer is completed and the loop ends once drained.
            var readable = _queue.Reader.WaitToReadAsync(CancellationToken.None).AsTask();
            using (var idle = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                var woke = await Task.WhenAny(readable, Task.Delay(_options.Value.ReplayInterval, _time, idle.Token));
                await idle.CancelAsync();
                if (woke == readable && !await readable)
                {
                    return;
                }
            }

            await GatherAsync(stoppingToken);
            while (_queue.Reader.TryRead(out var record))
            {
                batch.Add(record);
                if (batch.Count == _options.Value.BatchSize)
                {
                    await WriteOrSpillAsync(batch, stoppingToken);
                }
            }

            await WriteOrSpillAsync(batch, stoppingToken);
            if (!stoppingToken.IsCancellationRequested)
            {
                await ReplayAsync(stoppingToken);
            }
        }
    }

    /// <summary>
    /// Lets a batch fill before committing it. Real time, not <see cref="TimeProvider"/>: the wait exists for the disk's
    /// sake, and a test clock that never advances must not hold records back.
    /// </summary>
    private async Task GatherAsync(CancellationToken stoppingToken)
    {
        var delay = _options.Value.CommitDelay;
        var queued = _queue.Reader.Count;
        // Woken by the replay timer with nothing queued, or a batch already full: nothing to wait for.
        if (delay <= TimeSpan.Zero || stoppingToken.IsCancellationRequested || queued == 0 || queued >= _options.Value.BatchSize)
        {
            return;
        }

        try
        {
            await Task.Delay(delay, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Shutting down: commit what is there now; StopAsync drains the rest.
        }
    }

    private async Task WriteOrSpillAsync(List<UsageRecord> batch, CancellationToken stoppingToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        if (!await TryKeepAsync(batch, stoppingToken))
        {
            _stranded = [.. batch];
        }

        batch.Clear();
    }

    /// <summary>Into the store, or else the spill file; false when neither took the batch.</summary>
    private async Task<bool> TryKeepAsync(List<UsageRecord> batch, CancellationToken stoppingToken)
    {
        try
        {
            await _store.WriteAsync(batch, CancellationToken.None);
            _metrics.Batch(batch.Count);
            _storeFailing = false;
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || stoppingToken.IsCancellationRequested)
        {
            _storeFailing = true;
            _metrics.WriteFailed();
            if (!TrySpill(batch))
            {
                return false;
            }

            _metrics.Spilled(batch.Count);
            LogStoreFailed(_logger, batch.Count, exception.GetType().Name);
            return true;
        }
    }

    /// <summary>Appends to the spill file; a disk that refuses (full, read-only, no permission) is reported, not thrown.</summary>
    private bool TrySpill(List<UsageRecord> records)
    {
        try
        {
            _spill.Append(records);
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            _metrics.SpillFailed();
            LogSpillFailed(_logger, records.Count, exception.GetType().Name);
            return false;
        }
    }

    /// <summary>Waits a replay interval before the stranded batch is offered again; false once shutting down.</summary>
    private async Task<bool> PauseAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(_options.Value.ReplayInterval, _time, stoppingToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            // Shutting down: StopAsync spills what is left, the stranded batch first.
            return false;
        }
    }

    private async Task ReplayAsync(CancellationToken stoppingToken)
    {
        if (_spill.Pending == 0)
        {
            return;
        }

        try
        {
            var replay = await _spill.ReplayAsync(records => _store.WriteAsync(records, CancellationToken.None), _options.Value.BatchSize, stoppingToken);
            _storeFailing = false;
            LogReplayed(_logger, replay.Replayed);
            if (replay.TornFragments > 0)
            {
                _metrics.TornSpillLines(replay.TornFragments);
                LogTornSpillLines(_logger, replay.TornFragments);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Still down: the spill file stays, and the next round tries again.
            _storeFailing = true;
            LogReplayFailed(_logger, exception.GetType().Name);
        }
    }

    [LoggerMessage(EventId = EventIds.UsageStoreWriteFailed, Level = LogLevel.Error, Message = "Usage store write failed ({ExceptionType}); {Count} records spilled to disk for replay")]
    private static partial void LogStoreFailed(ILogger logger, int count, string exceptionType);

    [LoggerMessage(EventId = EventIds.UsageSpillFailed, Level = LogLevel.Error, Message = "Usage spill file refused {Count} records ({ExceptionType}); they stay in memory and are offered to the store and the spill file again")]
    private static partial void LogSpillFailed(ILogger logger, int count, string exceptionType);

    [LoggerMessage(EventId = EventIds.UsageRecordsLost, Level = LogLevel.Critical, Message = "{Count} usage records lost: the queue was full (or closed) and the disk refused them")]
    private static partial void LogLost(ILogger logger, int count);

    [LoggerMessage(EventId = EventIds.UsageReplayed, Level = LogLevel.Information, Message = "Replayed {Count} spilled usage records into the store")]
    private static partial void LogReplayed(ILogger logger, int count);

    [LoggerMessage(EventId = EventIds.UsageSpillTorn, Level = LogLevel.Warning, Message = "Skipped {Count} torn spill lines left by a crash mid-append (their records had not been acknowledged)")]
    private static partial void LogTornSpillLines(ILogger logger, int count);

    [LoggerMessage(EventId = EventIds.UsageReplayFailed, Level = LogLevel.Warning, Message = "Usage store still unavailable ({ExceptionType}); spilled records kept for the next replay")]
    private static partial void LogReplayFailed(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = EventIds.UsageSpilledAtShutdown, Level = LogLevel.Warning, Message = "Shutdown: {Count} usage records spilled to disk; they are replayed at the next start")]
    private static partial void LogSpilledAtShutdown(ILogger logger, int count);
}
